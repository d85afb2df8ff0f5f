/* param/: the strict values shared by the command line and heart serve. */
#include <float.h>
#include <locale.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "param.h"
#include "param_draw.h"

/* Every plain decimal gives strtod()'s double, on the exact path and past it. */
static void test_double_matches_strtod(void **state)
{
	static const char *const good[] = {
		"0",
		"1",
		"+1",
		"-0",
		"1.3",
		"0.1",
		"9.99",
		"10",
		"0.000001",
		"123456789012345",
		"1234567890123456", /* 16 digits */
		"0.30000000000000004",
		"1.00000000000000000000001",
		"000000000000000000001.5",
		"5.0000000000000000000000000000000000001",
		"2.5",
		"7.125",
	};
	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		double v = -1;
		assert_true(param_double(good[i], -1e300, 1e300, &v));
		double const want = strtod(good[i], NULL);
		assert_memory_equal(&v, &want, sizeof(v));
	}
	/* Random decimals of up to 18 digits with up to 18 after the point. */
	srand(1);
	for (int i = 0; i < 100000; i++) {
		char s[64];
		unsigned long long const m = ((unsigned long long)rand() << 31 | (unsigned)rand()) %
					     1000000000000000000ULL;
		int const k = rand() % 19;
		int n = snprintf(s, sizeof(s), "%llu", m);
		if (k > 0 && k < n) {
			memmove(s + n - k + 1, s + n - k, (size_t)k + 1);
			s[n - k] = '.';
		}
		double v;
		assert_true(param_double(s, 0, 1e300, &v));
		double const want = strtod(s, NULL);
		if (memcmp(&v, &want, sizeof(v)) != 0)
			fail_msg("%s: %.17g, strtod %.17g", s, v, want);
	}
}

static void test_double_refuses(void **state)
{
	static const char *const bad[] = {"",      " 1",  "1 ",  "1e3", "0x10", "inf",
					  "nan",   "1,5", ".5",  "5.",  "+",    "-",
					  "1.2.3", "١",   "1..", "--1", "+-1",  "1\n"};
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		double v = 42;
		assert_false(param_double(bad[i], -1e9, 1e9, &v));
		assert_true(v == 42);
	}
	double v = 42;
	assert_false(param_double("10.0000000001", 0.1, 10, &v));
	assert_false(param_double("0.0999999999", 0.1, 10, &v));
	assert_true(param_double("10.000", 0.1, 10, &v) && v == 10);
}

/* The decimal separator is a point in every locale. */
static void test_double_locale(void **state)
{
	(void)state;
	if (!setlocale(LC_NUMERIC, "de_DE.UTF-8"))
		fail_msg("locale de_DE.UTF-8 is missing (scripts/setup.sh --test makes it)");
	double v = 0;
	assert_true(param_double("1.3", 0, 10, &v));
	assert_true(v == 1.3);
	assert_true(param_double("1.30000000000000000000001", 0, 10, &v));
	assert_true(v == 1.3);
	assert_false(param_double("1,3", 0, 10, &v));
	setlocale(LC_NUMERIC, "C");
}

static void test_size_color_choice_flag(void **state)
{
	static const char *const modes[] = {"auto", "ascii", NULL};
	struct param_rule const size = {.kind = PARAM_SIZE, .max = 2048};
	struct param_rule const pair = {.kind = PARAM_SIZE, .flags = PARAM_PAIR, .max = 100};
	struct param_rule const color = {.kind = PARAM_COLOR, .flags = PARAM_TRANSPARENT};
	struct param_rule const choice = {.kind = PARAM_CHOICE, .choices = modes};
	struct param_rule const flag = {.kind = PARAM_FLAG};
	struct param_size sz = {0};
	struct param_color c = {0};
	int k = -1;
	bool b = false;
	(void)state;

	assert_true(param_parse(&size, "2048", &sz) && sz.width == 2048 && sz.height == 2048);
	assert_true(param_parse(&size, "3x4", &sz) && sz.width == 3 && sz.height == 4);
	assert_false(param_parse(&size, "2049", &sz));
	assert_false(param_parse(&size, "0", &sz));
	assert_false(param_parse(&size, "3x", &sz));
	assert_false(param_parse(&size, "3X4", &sz));
	assert_false(param_parse(&pair, "30", &sz));
	assert_true(param_parse(&color, "transparent", &c) && c.transparent);
	assert_true(param_parse(&color, "#f00", &c) && !c.transparent && c.rgb.r == 255);
	assert_false(param_parse(&color, "#ff0000<script>", &c));
	assert_true(param_parse(&choice, "ascii", &k) && k == 1);
	assert_false(param_parse(&choice, "ASCII", &k));
	assert_true(param_parse(&flag, "true", &b) && b);
	assert_true(param_parse(&flag, "false", &b) && !b);
	assert_false(param_parse(&flag, "1", &b));
}

static void test_expected(void **state)
{
	static const char *const modes[] = {"auto", "ascii", NULL};
	struct param_rule const number = {.kind = PARAM_DOUBLE, .min = 0.1, .max = 10};
	struct param_rule const choice = {.kind = PARAM_CHOICE, .choices = modes};
	struct param_rule const size = {.kind = PARAM_SIZE, .max = 2048};
	char buf[128];
	(void)state;

	param_expected(&number, NULL, buf, sizeof(buf));
	assert_string_equal(buf, "a number from 0.1 to 10");
	param_expected(&choice, NULL, buf, sizeof(buf));
	assert_string_equal(buf, "one of auto, ascii");
	param_expected(&size, "N|WxH", buf, sizeof(buf));
	assert_string_equal(buf, "N|WxH, each side from 1 to 2048");
	param_expected(&number, NULL, buf, 8);
	assert_string_equal(buf, "a numbe");
}

/* ---- The table of drawing parameters ---- */

static size_t field_size(enum param_kind kind)
{
	switch (kind) {
	case PARAM_COLOR:
		return sizeof(struct param_color);
	case PARAM_SIZE:
		return sizeof(struct param_size);
	case PARAM_FLAG:
		return sizeof(bool);
	case PARAM_DOUBLE:
		return sizeof(double);
	default:
		return 0;
	}
}

/* Each default the table writes down is the value param_values_init() sets: the documents
 * (OpenAPI, --help) and the renderers cannot disagree on red or 1.2 Hz. */
static void test_defaults_are_the_tables(void **state)
{
	struct param_values init;
	(void)state;
	param_values_init(&init);
	for (int id = 0; id < PD_COUNT; id++) {
		const struct param_def *const d = param_def(id);
		assert_non_null(d->name);
		if (!d->default_text)
			continue;
		struct param_values v;
		param_values_init(&v);
		/* Cleared first: only parsing the text can give it the default. */
		memset((char *)&v + d->offset, 0, field_size(d->rule.kind));
		if (id == PD_ID) /* svg's default prefix: NULL stands for it */
			assert_int_equal(svg_id_check(d->default_text), SVG_OK);
		else
			assert_true(param_values_set(&v, id, d->default_text));
		if (id != PD_ID && id != PD_TITLE) {
			v.given = 0;
			assert_memory_equal(&v, &init, sizeof(v));
		}
	}
}

/* The shape rows name the model's parameters, which own their ranges. */
static void test_shape_rows_are_the_models(void **state)
{
	static const enum param_id ids[] = {PD_ASPECT, PD_CLEFT, PD_LOBE, PD_TIP};
	(void)state;
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		const struct param_def *const d = param_def(ids[i]);
		assert_int_equal(d->rule.kind, PARAM_SHAPE);
		assert_string_equal(d->name, heart_param_info(d->rule.shape)->name);
		assert_true(d->draw_option && d->outputs == (PARAM_OUT_ALL | PARAM_OUT_ICONS));
	}
}

static struct param_violation check(enum param_output out, const char *const *pairs)
{
	struct param_values v;
	struct param_violation why;
	param_values_init(&v);
	for (; *pairs; pairs += 2) {
		int id = 0;
		while (id < PD_COUNT && strcmp(param_def(id)->name, pairs[0]) != 0)
			id++;
		assert_true(id < PD_COUNT);
		assert_true(param_values_set(&v, id, pairs[1]));
	}
	bool const ok = param_values_check(&v, out, &why);
	assert_int_equal(ok, why.kind == PARAM_VIOLATION_NONE);
	return why;
}

#define CHECK(out, kind_, param_, other_, ...)                          \
	do {                                                            \
		static const char *const pairs[] = {__VA_ARGS__, NULL}; \
		struct param_violation const v = check(out, pairs);     \
		assert_int_equal(v.kind, kind_);                        \
		if (kind_ != PARAM_VIOLATION_NONE) {                    \
			assert_int_equal(v.param, param_);              \
			assert_int_equal(v.other, other_);              \
		}                                                       \
	} while (0)

/* The rules between parameters, as heart svg, heart png, heart play and both routes have
 * them; the conflict is found before what fps needs. */
static void test_rules_between_parameters(void **state)
{
	(void)state;
	CHECK(PARAM_OUT_SVG, PARAM_VIOLATION_REQUIRES, PD_FPS, PD_ANIMATE, "fps", "2");
	CHECK(PARAM_OUT_QUERY_SVG, PARAM_VIOLATION_REQUIRES, PD_BPM, PD_ANIMATE, "bpm", "60");
	CHECK(PARAM_OUT_SVG, PARAM_VIOLATION_REQUIRES, PD_AMPLITUDE, PD_ANIMATE, "amplitude",
	      "0.2");
	CHECK(PARAM_OUT_SVG, PARAM_VIOLATION_REQUIRES, PD_FPS, PD_ANIMATE, "fps", "2", "animate",
	      "false");
	CHECK(PARAM_OUT_SVG, PARAM_VIOLATION_NONE, 0, 0, "fps", "2", "animate", "true");
	CHECK(PARAM_OUT_QUERY_SVG, PARAM_VIOLATION_CONFLICTS, PD_FPS, PD_BPM, "bpm", "60", "fps",
	      "2");
	CHECK(PARAM_OUT_PLAY, PARAM_VIOLATION_CONFLICTS, PD_FPS, PD_BPM, "bpm", "60", "fps", "2");
	CHECK(PARAM_OUT_PLAY, PARAM_VIOLATION_NONE, 0, 0, "amplitude", "0.2", "fps", "2");
	/* A PNG's beat: fps and bpm need animate, amplitude phase or animate, and phase and
	 * animate exclude each other. */
	CHECK(PARAM_OUT_PNG, PARAM_VIOLATION_REQUIRES, PD_FPS, PD_ANIMATE, "fps", "2");
	CHECK(PARAM_OUT_QUERY_PNG, PARAM_VIOLATION_REQUIRES, PD_BPM, PD_ANIMATE, "bpm", "60",
	      "phase", "0.5");
	CHECK(PARAM_OUT_PNG, PARAM_VIOLATION_NONE, 0, 0, "fps", "2", "animate", "true");
	CHECK(PARAM_OUT_QUERY_PNG, PARAM_VIOLATION_CONFLICTS, PD_FPS, PD_BPM, "bpm", "60", "fps",
	      "2", "animate", "true");
	CHECK(PARAM_OUT_PNG, PARAM_VIOLATION_NONE, 0, 0, "amplitude", "0.2", "animate", "true");
	CHECK(PARAM_OUT_QUERY_PNG, PARAM_VIOLATION_REQUIRES, PD_AMPLITUDE, PD_PHASE, "amplitude",
	      "0.2", "animate", "false");
	CHECK(PARAM_OUT_PNG, PARAM_VIOLATION_CONFLICTS, PD_PHASE, PD_ANIMATE, "phase", "0.5",
	      "animate", "true");
	CHECK(PARAM_OUT_QUERY_PNG, PARAM_VIOLATION_NONE, 0, 0, "phase", "0.5", "animate", "false");
	/* Several needs of one parameter are alternatives for one output only: an SVG's
	 * amplitude still needs animate, whatever phase says. */
	CHECK(PARAM_OUT_SVG, PARAM_VIOLATION_REQUIRES, PD_AMPLITUDE, PD_ANIMATE, "amplitude", "0.2",
	      "animate", "false");
	CHECK(PARAM_OUT_QUERY_PNG, PARAM_VIOLATION_OUTPUT, PD_TITLE, PD_TITLE, "title", "hi");
	CHECK(PARAM_OUT_QUERY_SVG, PARAM_VIOLATION_OUTPUT, PD_PHASE, PD_PHASE, "phase", "0.5");
	CHECK(PARAM_OUT_PNG, PARAM_VIOLATION_REQUIRES, PD_AMPLITUDE, PD_PHASE, "amplitude", "0.2");
	CHECK(PARAM_OUT_QUERY_PNG, PARAM_VIOLATION_NONE, 0, 0, "amplitude", "0.2", "phase", "0");
}

/* One conversion for the CLI and the server: bpm as Hz, colours, the PNG's layout. */
static void test_renderer_options(void **state)
{
	struct param_values v;
	struct svg_options o;
	struct heart_png_options png;
	double amplitude;
	(void)state;

	param_values_init(&v);
	param_svg_options(&v, &o);
	assert_true(o.color.r == 255 && o.color.g == 0 && !o.background && !o.animate);
	assert_true(o.width == 256 && o.height == 256 && o.title == NULL && o.id_prefix == NULL);
	assert_true(o.hz == HEART_BEAT_HZ_DEFAULT && o.amplitude == HEART_AMPLITUDE_DEFAULT);

	assert_true(param_values_set(&v, PD_BPM, "84"));
	assert_true(param_values_set(&v, PD_BACKGROUND, "white"));
	assert_true(param_values_set(&v, PD_SIZE, "30x20"));
	assert_true(param_values_set(&v, PD_TITLE, "a heart"));
	param_svg_options(&v, &o);
	assert_true(o.hz > 1.3999 && o.hz < 1.4001 && o.background);
	assert_true(o.width == 30 && o.height == 20 && strcmp(o.title, "a heart") == 0);
	assert_true(o.background_color.r == 255 && o.background_color.b == 255);

	param_png_options(&v, "sw", &png, &amplitude);
	assert_true(!png.transparent && png.background.g == 255 && amplitude == 0);
	assert_string_equal(png.software, "sw");
	assert_true(param_values_set(&v, PD_PHASE, "0.5"));
	param_png_options(&v, NULL, &png, &amplitude);
	assert_true(amplitude == HEART_AMPLITUDE_DEFAULT);
	assert_false(param_values_set(&v, PD_PHASE, "2"));
	assert_true(v.phase == 0.5);
	/* The beat (animate) keeps room for the peak too. */
	param_values_init(&v);
	assert_true(param_values_set(&v, PD_ANIMATE, "true"));
	assert_true(param_values_set(&v, PD_AMPLITUDE, "0.3"));
	param_png_options(&v, NULL, &png, &amplitude);
	assert_true(amplitude == 0.3);
}

/* The help texts --help, the man page and the completions print, as heart 0.1.0 wrote them
 * by hand before they came from the table. */
static void test_help_texts(void **state)
{
	static const struct {
		enum param_id id;
		bool brief;
		const char *text;
	} want[] = {
		{PD_COLOR, false, "heart colour (default red): RRGGBB, #RGB, ... or a CSS name"},
		{PD_COLOR, true, "heart colour"},
		{PD_BACKGROUND, false, "background colour, or 'transparent'"},
		{PD_FPS, false, "beats per second, 0.1 to 10 (default 1.2)"},
		{PD_FPS, true, "beats per second, 0.1 to 10"},
		{PD_BPM, false, "beats per minute, 6 to 600 (instead of --fps)"},
		{PD_AMPLITUDE, false, "growth at the peak of a beat, 0 to 0.5 (default 0.12)"},
		{PD_ASPECT, false, "width / height of the heart, 0.8 to 1.4 (default 1.1)"},
		{PD_TIP, true, "sharpness of the tip (0 blunt, 1 sharp), 0 to 1"},
	};
	char buf[256];
	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		param_def_help(param_def(want[i].id), want[i].brief, buf, sizeof(buf));
		assert_string_equal(buf, want[i].text);
	}
	param_def_help(param_def(PD_FPS), false, buf, 10);
	assert_string_equal(buf, "beats per");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_double_matches_strtod),
		cmocka_unit_test(test_double_refuses),
		cmocka_unit_test(test_double_locale),
		cmocka_unit_test(test_size_color_choice_flag),
		cmocka_unit_test(test_expected),
		cmocka_unit_test(test_defaults_are_the_tables),
		cmocka_unit_test(test_shape_rows_are_the_models),
		cmocka_unit_test(test_rules_between_parameters),
		cmocka_unit_test(test_renderer_options),
		cmocka_unit_test(test_help_texts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
