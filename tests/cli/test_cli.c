#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../cli/args.h"
#include "../../cli/cli.h"
#include "../../cli/draw.h"
#include "../../cli/input.h"

struct fake_opts {
	const char *out;
	bool quiet;
	struct param_size size;
	int mode;
	double seconds;
	const char *name;
};

static const char *const fake_modes[] = {"auto", "on", "off", NULL};

static bool no_spaces(const char *opt, const char *value)
{
	(void)opt;
	return strchr(value, ' ') == NULL;
}

static const struct opt_spec fake_specs[] = {
	{.name = "out",
	 .short_name = 'o',
	 .kind = ARG_PATH,
	 .value_name = "FILE",
	 .offset = offsetof(struct fake_opts, out),
	 .help = "where"},
	{.name = "quiet",
	 .short_name = 'q',
	 .kind = ARG_FLAG,
	 .offset = offsetof(struct fake_opts, quiet),
	 .help = "hush",
	 .exclusive = 1},
	{.name = "size",
	 .kind = ARG_SIZE,
	 .value_name = "N|WxH",
	 .max = 100,
	 .offset = offsetof(struct fake_opts, size),
	 .help = "how big"},
	{.name = "mode",
	 .kind = ARG_CHOICE,
	 .value_name = "M",
	 .choices = fake_modes,
	 .offset = offsetof(struct fake_opts, mode),
	 .help = "which"},
	{.name = "seconds",
	 .kind = ARG_DOUBLE,
	 .flags = ARG_ABOVE_MIN,
	 .value_name = "S",
	 .min = 0,
	 .max = 10,
	 .offset = offsetof(struct fake_opts, seconds),
	 .help = "how long",
	 .exclusive = 1},
	{.name = "name",
	 .short_name = 'n',
	 .kind = ARG_TEXT,
	 .flags = ARG_REQUIRED,
	 .value_name = "TEXT",
	 .check = no_spaces,
	 .offset = offsetof(struct fake_opts, name),
	 .help = "who"},
};

static const struct command fake = {
	.name = "fake",
	.summary = "",
	.synopsis = "fake [OPTIONS] FILE...",
	.description = "Fake.\n",
	.opts = fake_specs,
	.n_opts = sizeof(fake_specs) / sizeof(fake_specs[0]),
	.operands = {"FILE", 1, 2},
};

static int parse(int argc, char **argv, struct fake_opts *o, struct arg_result *r)
{
	*o = (struct fake_opts){0};
	return arg_parse(&fake, argc, argv, o, r);
}

static void test_long_and_short_forms(void **state)
{
	char *argv[] = {"fake", "--out=a", "file",       "-q", "--size", "5",
			"-n",   "x",       "--mode=off", "--", "-x",     NULL};
	struct fake_opts o;
	struct arg_result r;

	assert_int_equal(parse(11, argv, &o, &r), CLI_CONTINUE);
	assert_string_equal(o.out, "a");
	assert_true(o.quiet);
	assert_true(o.size.width == 5 && o.size.height == 5);
	assert_int_equal(o.mode, 2);
	assert_string_equal(o.name, "x");
	assert_true(arg_given(&r, 0) && arg_given(&r, 1) && !arg_given(&r, 4));
	assert_int_equal(r.n_operands, 2);
	assert_string_equal(r.operands[0], "file");
	assert_string_equal(r.operands[1], "-x");

	/* -o was already given as --out: repeated. */
	char *twice[] = {"fake", "--out=a", "-n", "x", "f", "-o", "b", NULL};
	assert_int_equal(parse(7, twice, &o, &r), EXIT_BAD);
}

struct list_opts {
	struct opt_list keys;
	const char *single;
};

static const struct opt_spec list_specs[] = {
	{.name = "key",
	 .short_name = 'k',
	 .kind = ARG_PATH,
	 .flags = ARG_REPEAT,
	 .value_name = "FILE",
	 .offset = offsetof(struct list_opts, keys),
	 .help = "a key",
	 .exclusive = 1},
	{.name = "single",
	 .kind = ARG_PATH,
	 .value_name = "FILE",
	 .exclusive = 1,
	 .offset = offsetof(struct list_opts, single),
	 .help = "one"},
};

static const struct command list_cmd = {
	.name = "list",
	.summary = "",
	.synopsis = "list",
	.description = "List.\n",
	.opts = list_specs,
	.n_opts = 2,
	.operands = {"FILE", 0, -1},
};

/* ARG_REPEAT: every value kept in order, each checked, up to OPT_LIST_MAX; exclusion with
 * other options still holds, but not with itself. */
static void test_repeated_option_list(void **state)
{
	char *argv[] = {"list", "-k", "a", "--key=b", "--key", "c", NULL};
	struct list_opts o = {0};
	struct arg_result r;
	assert_int_equal(arg_parse(&list_cmd, 6, argv, &o, &r), CLI_CONTINUE);
	assert_int_equal(o.keys.n, 3);
	assert_string_equal(o.keys.values[0], "a");
	assert_string_equal(o.keys.values[2], "c");

	char *empty[] = {"list", "-k", "a", "-k", "", NULL};
	o = (struct list_opts){0};
	assert_int_equal(arg_parse(&list_cmd, 5, empty, &o, &r), EXIT_BAD);
	char *excl[] = {"list", "-k", "a", "--single", "b", NULL};
	o = (struct list_opts){0};
	assert_int_equal(arg_parse(&list_cmd, 5, excl, &o, &r), EXIT_BAD);

	char *many[2 * OPT_LIST_MAX + 4] = {"list"};
	for (int i = 0; i <= OPT_LIST_MAX; i++) {
		many[1 + 2 * i] = "-k";
		many[2 + 2 * i] = "x";
	}
	o = (struct list_opts){0};
	assert_int_equal(arg_parse(&list_cmd, 2 * OPT_LIST_MAX + 1, many, &o, &r), CLI_CONTINUE);
	assert_int_equal(o.keys.n, OPT_LIST_MAX);
	o = (struct list_opts){0};
	assert_int_equal(arg_parse(&list_cmd, 2 * OPT_LIST_MAX + 3, many, &o, &r), EXIT_BAD);
}

static void test_double_dash_ends_options(void **state)
{
	char *argv[] = {"fake", "-n", "x", "--", "-q", "-", NULL};
	struct fake_opts o;
	struct arg_result r;

	assert_int_equal(parse(6, argv, &o, &r), CLI_CONTINUE);
	assert_false(o.quiet);
	assert_int_equal(r.n_operands, 2);
	assert_string_equal(r.operands[0], "-q");
	assert_string_equal(r.operands[1], "-");
}

static void test_usage_errors(void **state)
{
	char *unknown[] = {"fake", "-n", "x", "f", "--nope", NULL};
	char *missing[] = {"fake", "-n", "x", "f", "--out", NULL};
	char *valued_flag[] = {"fake", "-n", "x", "f", "--quiet=yes", NULL};
	char *bundled[] = {"fake", "-n", "x", "f", "-qo", NULL};
	char *exclusive[] = {"fake", "-n", "x", "f", "--seconds", "1", "-q", NULL};
	char *required[] = {"fake", "f", NULL};
	char *no_operand[] = {"fake", "-n", "x", NULL};
	char *too_many[] = {"fake", "-n", "x", "a", "b", "c", NULL};
	char **bad[] = {unknown,   missing,  valued_flag, bundled,
			exclusive, required, no_operand,  too_many};
	struct fake_opts o;
	struct arg_result r;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int argc = 0;
		while (bad[i][argc])
			argc++;
		assert_int_equal(parse(argc, bad[i], &o, &r), EXIT_BAD);
	}
}

static void test_values_are_checked(void **state)
{
	static char *const values[][2] = {
		{"--size", "0"},     {"--size", "101"}, {"--size", "5x"},   {"--size", " 5"},
		{"--mode", "maybe"}, {"--mode", ""},    {"--seconds", "0"}, {"--seconds", "11"},
		{"--out", ""},       {"--name", "a b"},
	};
	struct fake_opts o;
	struct arg_result r;

	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		char *argv[] = {"fake", "f", values[i][0], values[i][1], "-n", "x", NULL};
		/* --name is the option under test there: give it once. */
		int const argc = strcmp(values[i][0], "--name") == 0 ? 4 : 6;
		assert_int_equal(parse(argc, argv, &o, &r), EXIT_BAD);
	}
	char *good[] = {"fake", "-n", "x", "f", "--size", "100x7", "--seconds", "0.5", NULL};
	assert_int_equal(parse(8, good, &o, &r), CLI_CONTINUE);
	assert_true(o.size.width == 100 && o.size.height == 7 && o.seconds == 0.5);
}

/* Every option of every command appears in its usage text, and no line is too long. */
static void test_usage_lists_every_option(void **state)
{
	for (const struct command *const *c = commands; *c; c++) {
		char *text = NULL;
		size_t len = 0;
		FILE *out = open_memstream(&text, &len);
		assert_non_null(out);
		arg_usage_print(*c, out);
		assert_int_equal(fclose(out), 0);
		assert_true(strncmp(text, "Usage: heart ", 13) == 0);
		for (size_t i = 0; i < (*c)->n_opts; i++) {
			const struct opt_spec *o = &(*c)->opts[i];
			char want[64];
			if (o->short_name)
				snprintf(want, sizeof(want), "  -%c, --%s", o->short_name, o->name);
			else
				snprintf(want, sizeof(want), "  --%s", o->name);
			if (!strstr(text, want))
				fail_msg("%s --help lacks '%s'", (*c)->name, want);
		}
		for (char *line = text, *end; *line; line = end + 1) {
			end = strchr(line, '\n');
			assert_non_null(end);
			assert_true(end - line <= 80);
		}
		free(text);
	}
}

static void test_numbers_are_strict(void **state)
{
	static const char *const bad[] = {"",    "1.5x", "1,5", " 1", "1 ",  "0x10", "1e3", "inf",
					  "nan", "-nan", ".5",  "5.", "--1", "1..2", "١"};
	double d = -1;
	long l = -1;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_false(arg_double("--x", bad[i], -1e9, 1e9, &d));
		assert_false(arg_long("--x", bad[i], -1000000, 1000000, &l));
	}
	assert_true(d == -1 && l == -1);

	assert_true(arg_double("--x", "1.4", 0.1, 10, &d));
	assert_true(d == 1.4);
	assert_true(arg_double("--x", "+0.10", 0.1, 10, &d));
	assert_false(arg_double("--x", "10.01", 0.1, 10, &d));
	assert_false(arg_double("--x", "0.09", 0.1, 10, &d));
	assert_true(arg_long("--x", "-7", -7, 7, &l));
	assert_int_equal(l, -7);
	assert_false(arg_long("--x", "1.0", 0, 7, &l));
	assert_false(arg_long("--x", "99999999999999999999", 0, 7, &l));
}

static void test_quote_escapes_and_cuts(void **state)
{
	assert_string_equal(quote("plain text").s, "plain text");
	assert_string_equal(quote("\x1b[31mred").s, "\\x1b[31mred");
	assert_string_equal(quote("a\\b\n\x7f\xc3\xa9").s, "a\\\\b\\x0a\\x7f\\xc3\\xa9");

	char longer[200];
	memset(longer, 'x', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	struct quoted q = quote(longer);
	assert_int_equal(strlen(q.s), 64 + 3);
	assert_string_equal(q.s + 64, "...");

	char worst[100];
	memset(worst, '\x01', sizeof(worst) - 1);
	worst[sizeof(worst) - 1] = '\0';
	assert_int_equal(strlen(quote(worst).s), 64 * 4 + 3);
}

struct draw_only {
	struct param_values draw;
};

static const struct opt_spec draw_specs[] = {DRAW_OPTIONS(struct draw_only, 0)};

static const struct command draw_command = {
	.name = "draw",
	.summary = "",
	.synopsis = "draw",
	.description = "",
	.opts = draw_specs,
	.n_opts = DRAW_OPT_COUNT,
};

/* Parse one drawing option into d (defaults first); whether it was accepted. */
static bool draw_one(struct param_values *d, char *opt, char *value)
{
	struct draw_only o;
	struct arg_result r;
	char *argv[] = {"draw", opt, value, NULL};

	param_values_init(&o.draw);
	o.draw.shape = d->shape;
	if (arg_parse(&draw_command, 3, argv, &o, &r) != CLI_CONTINUE)
		return false;
	draw_values_finish(&o.draw, &r, 0);
	*d = o.draw;
	return true;
}

static void test_draw_options(void **state)
{
	struct param_values d;
	param_values_init(&d);
	assert_true(d.color.rgb.r == 255 && d.color.rgb.g == 0 && d.background.transparent);

	assert_true(draw_one(&d, "--color", "#00f"));
	assert_true(d.color.rgb.b == 255 && param_given(&d, PD_COLOR));
	assert_false(draw_one(&d, "--color", "blue\x1b[0m"));
	assert_false(draw_one(&d, "--color", "transparent"));
	assert_true(draw_one(&d, "--background", "white"));
	assert_false(d.background.transparent);
	assert_true(param_given(&d, PD_BACKGROUND));
	assert_true(draw_one(&d, "--background", "transparent"));
	assert_true(d.background.transparent);

	assert_true(draw_one(&d, "--bpm", "84"));
	assert_true(param_values_hz(&d) > 1.3999 && param_values_hz(&d) < 1.4001);
	assert_true(param_given(&d, PD_BPM));
	assert_false(draw_one(&d, "--fps", "10.5"));
	assert_false(draw_one(&d, "--fps", "0"));
	assert_false(draw_one(&d, "--bpm", "5"));
	assert_false(draw_one(&d, "--amplitude", "0.51"));

	struct heart_shape const before = d.shape;
	assert_false(draw_one(&d, "--cleft", "0.6"));
	assert_false(draw_one(&d, "--tip", "nan"));
	assert_false(draw_one(&d, "--aspect", "1,2"));
	assert_memory_equal(&d.shape, &before, sizeof(before));
	assert_false(draw_one(&d, "--lobe", "1.5"));
	assert_true(draw_one(&d, "--lobe", "1.15"));
	assert_true(d.shape.value[HEART_PARAM_LOBE] > 1.149);
}

static void test_draw_fps_and_bpm_conflict(void **state)
{
	char *argv[] = {"draw", "--fps", "1", "--bpm", "60", NULL};
	struct draw_only o;
	struct arg_result r;

	param_values_init(&o.draw);
	assert_int_equal(arg_parse(&draw_command, 5, argv, &o, &r), EXIT_BAD);
}

/* ---- The terminal's input ---- */

/* Feed s (n bytes) and collect what it completes, as a string of letters: k (a key, then the
 * key itself), E (Esc), B (background), A (device attributes), S (other sequence). */
static void decode(struct input *in, const char *s, size_t n, char *out, size_t cap,
		   struct heart_rgb *rgb_out)
{
	static const char letters[] = {'-', 'k', 'E', 'B', 'A', 'S'};
	size_t len = 0;
	for (size_t i = 0; i < n; i++) {
		struct input_event ev;
		enum input_kind const k = input_byte(in, (unsigned char)s[i], 0, &ev);
		if (k == INPUT_NONE)
			continue;
		assert_true(len + 2 < cap);
		out[len++] = letters[k];
		if (k == INPUT_KEY)
			out[len++] = (char)ev.key;
		if (k == INPUT_BACKGROUND && rgb_out)
			*rgb_out = ev.rgb;
	}
	out[len] = '\0';
}

static void expect_decoded(const char *s, const char *want)
{
	struct input in;
	char got[64];
	input_init(&in);
	decode(&in, s, strlen(s), got, sizeof(got), NULL);
	if (strcmp(got, want) != 0)
		fail_msg("'%s' decoded as '%s', want '%s'", quote(s).s, got, want);
	/* The same bytes one at a time across reads decode alike. */
	input_init(&in);
	char one[8], all[64];
	size_t len = 0;
	for (size_t i = 0; s[i]; i++) {
		decode(&in, s + i, 1, one, sizeof(one), NULL);
		assert_true(len + strlen(one) < sizeof(all));
		memcpy(all + len, one, strlen(one));
		len += strlen(one);
	}
	all[len] = '\0';
	assert_string_equal(all, want);
}

static void test_input_keys_and_sequences(void **state)
{
	expect_decoded("q Q+-", "kqk kQk+k-");
	/* Arrows (normal and application mode), function keys, Home: sequences, not Esc. */
	expect_decoded("\x1b[A\x1bOB\x1b[15~\x1b[1;5H\x1bOP", "SSSSS");
	/* Esc then an arrow: the first ESC was the key. */
	expect_decoded("\x1b\x1b[A", "ES");
	/* Alt-x is a sequence; a key after it is a key. */
	expect_decoded("\x1bxq", "Skq");
	/* Replies: DA1 (not DA2), OSC 11 with BEL or ST, other OSCs, DCS strings. */
	expect_decoded("\x1b[?62;22c\x1b[>1;10;0c", "AS");
	expect_decoded("\x1b]11;rgb:ffff/ffff/ffff\x07\x1b]11;rgb:0/0/0\x1b\\", "BB");
	expect_decoded("\x1b]10;rgb:ffff/ffff/ffff\x07\x1bP1$r0m\x1b\\q", "SSkq");
	/* An OSC too long to be a reply heart asked for, and a cancelled CSI. */
	expect_decoded(
		"\x1b]11;rgb:ffff/ffff/ffff/ffff/ffff/ffff/ffff/ffff/ffff/ffff/ffff/ffff\x07", "S");
	expect_decoded("\x1b[12\x18q", "Skq");
}

static void test_input_lone_escape(void **state)
{
	struct input in;
	struct input_event ev;
	int64_t const t = INPUT_TIMEOUT_NS;
	input_init(&in);
	assert_int_equal(input_deadline(&in), -1);
	assert_int_equal(input_expire(&in, 5 * t, &ev), INPUT_NONE);
	assert_int_equal(input_byte(&in, 0x1b, 7, &ev), INPUT_NONE);
	assert_int_equal(input_deadline(&in), 7 + t);
	assert_int_equal(input_expire(&in, 6 + t, &ev), INPUT_NONE); /* not yet */
	assert_int_equal(input_expire(&in, 7 + t, &ev), INPUT_ESCAPE);
	assert_int_equal(input_deadline(&in), -1);
	assert_int_equal(input_byte(&in, 'q', 8 + t, &ev), INPUT_KEY);
	/* Esc, Esc: the first is the key at once, the second waits from its own time. */
	assert_int_equal(input_byte(&in, 0x1b, 0, &ev), INPUT_NONE);
	assert_int_equal(input_byte(&in, 0x1b, 50, &ev), INPUT_ESCAPE);
	assert_int_equal(input_deadline(&in), 50 + t);
	assert_int_equal(input_expire(&in, 50 + t, &ev), INPUT_ESCAPE);
}

/* A reply whose end never comes is dropped INPUT_TIMEOUT_NS after its ESC, by input_expire():
 * q and Esc work again after it. */
static void test_input_time_is_bounded(void **state)
{
	static const char *const unfinished[] = {"\x1b]11;rgb:", "\x1b]11;rgb:ffff/ffff/ffff\x1b",
						 "\x1bP1$r",     "\x1b_Gi=1",
						 "\x1b[?62;",    "\x1bO"};
	int64_t const t = INPUT_TIMEOUT_NS;
	for (size_t i = 0; i < sizeof(unfinished) / sizeof(unfinished[0]); i++) {
		struct input in;
		struct input_event ev;
		input_init(&in);
		for (const char *p = unfinished[i]; *p; p++)
			assert_int_equal(input_byte(&in, (unsigned char)*p, 1000, &ev), INPUT_NONE);
		assert_int_equal(input_deadline(&in), 1000 + t);
		assert_int_equal(input_expire(&in, 999 + t, &ev), INPUT_NONE);
		assert_int_equal(input_expire(&in, 1000 + t, &ev), INPUT_SEQUENCE);
		assert_int_equal(input_deadline(&in), -1);
		assert_int_equal(input_byte(&in, 'q', 2000 + t, &ev), INPUT_KEY);
		assert_int_equal(ev.key, 'q');
		assert_int_equal(input_byte(&in, 0x1b, 3000 + t, &ev), INPUT_NONE);
		assert_int_equal(input_expire(&in, 3000 + 2 * t, &ev), INPUT_ESCAPE);
	}
}

/* A reply that never ends must not swallow the keys typed after it: whatever introduces a
 * sequence, at most INPUT_SEQUENCE_MAX bytes later it has been dropped and q is a key. */
static void test_input_length_is_bounded(void **state)
{
	static const char *const intro[] = {"\x1b]11;rgb:", "\x1bP", "\x1b_G", "\x1b^",
					    "\x1bX",        "\x1b[", "\x1b[?"};
	static const char fill[] = {'7', 'x', ';'};
	char s[INPUT_SEQUENCE_MAX + 64], got[64];
	for (size_t i = 0; i < sizeof(intro) / sizeof(intro[0]); i++) {
		for (size_t f = 0; f < sizeof(fill); f++) {
			/* 'x' would end a CSI. */
			if (intro[i][1] == '[' && fill[f] == 'x')
				continue;
			size_t const n = strlen(intro[i]);
			memcpy(s, intro[i], n);
			memset(s + n, fill[f], INPUT_SEQUENCE_MAX);
			s[n + INPUT_SEQUENCE_MAX] = 'q';
			struct input in;
			input_init(&in);
			decode(&in, s, n + INPUT_SEQUENCE_MAX + 1, got, sizeof(got), NULL);
			size_t const len = strlen(got);
			if (len < 2 || strcmp(got + len - 2, "kq") != 0)
				fail_msg("'%s' + %d x '%s' + 'q' decoded as '%s'",
					 quote(intro[i]).s, INPUT_SEQUENCE_MAX,
					 quote((char[]){fill[f], 0}).s, got);
		}
	}
}

static void test_input_background_reply(void **state)
{
	struct heart_rgb c = {1, 2, 3};
	static const struct {
		const char *body;
		struct heart_rgb want;
	} good[] = {
		{"11;rgb:ffff/ffff/ffff", {255, 255, 255}},
		{"11;rgb:0000/8080/ffff", {0, 128, 255}},
		{"11;rgb:ff/80/00", {255, 128, 0}},
		{"11;rgb:f/8/0", {255, 136, 0}},
		{"11;rgb:fff/000/7ff", {255, 0, 127}},
		{"11;rgb:1e1e/1E1E/2e2e", {30, 30, 46}},
		{"11;rgba:ffff/0000/0000/ffff", {255, 0, 0}},
	};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_true(input_parse_background(good[i].body, strlen(good[i].body), &c));
		assert_int_equal(c.r, good[i].want.r);
		assert_int_equal(c.g, good[i].want.g);
		assert_int_equal(c.b, good[i].want.b);
	}
	static const char *const bad[] = {
		"11;rgb:fffff/0/0",
		"11;rgb:ff/ff",
		"11;rgb:ff/ff/ff/ff",
		"11;rgb:/ff/ff",
		"11;rgb:gg/00/00",
		"10;rgb:ff/ff/ff",
		"11;?",
		"11;rgb:ff/ff/ff/",
		"11;rgba:ff/ff/ff",
		"",
	};
	c = (struct heart_rgb){1, 2, 3};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(input_parse_background(bad[i], strlen(bad[i]), &c));
	assert_int_equal(c.r + c.g + c.b, 6); /* untouched */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_long_and_short_forms),
		cmocka_unit_test(test_double_dash_ends_options),
		cmocka_unit_test(test_repeated_option_list),
		cmocka_unit_test(test_usage_errors),
		cmocka_unit_test(test_values_are_checked),
		cmocka_unit_test(test_usage_lists_every_option),
		cmocka_unit_test(test_numbers_are_strict),
		cmocka_unit_test(test_quote_escapes_and_cuts),
		cmocka_unit_test(test_draw_options),
		cmocka_unit_test(test_draw_fps_and_bpm_conflict),
		cmocka_unit_test(test_input_keys_and_sequences),
		cmocka_unit_test(test_input_lone_escape),
		cmocka_unit_test(test_input_background_reply),
		cmocka_unit_test(test_input_length_is_bounded),
		cmocka_unit_test(test_input_time_is_bounded),
	};
	/* The parser reports usage errors on stderr; keep the TAP stream on stdout clean. */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
