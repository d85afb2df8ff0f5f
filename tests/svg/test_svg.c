/* Unit tests for svg/: numbers, escaping, title and id validation, the document. */
#include <ctype.h>
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

#include "svg_internal.h"

#include "../utf8_encode.h"

/* realloc can be made to fail after a countdown (-Wl,--wrap=realloc), to test SVG_ERR_NOMEM. */
static long realloc_countdown = -1;
void *__real_realloc(void *p, size_t size);
void *__wrap_realloc(void *p, size_t size);
void *__wrap_realloc(void *p, size_t size)
{
	if (realloc_countdown == 0)
		return NULL;
	if (realloc_countdown > 0)
		realloc_countdown--;
	return __real_realloc(p, size);
}

/* ---- helpers ---- */

/* Deterministic pseudo-random numbers (xorshift64*), so failures reproduce. */
static uint64_t rng_state = 0x9e3779b97f4a7c15u;
static uint64_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1du;
}
static double rng_unit(void)
{
	return (double)(rng() >> 11) / 9007199254740992.0;
}

/* -?(digits|digits?.digits) with no trailing fraction zero, no exponent, and not "-0". */
static void assert_plain_number(const char *s)
{
	const char *p = s;
	if (*p == '-')
		p++;
	assert_true(isdigit((unsigned char)*p) || (*p == '.' && isdigit((unsigned char)p[1])));
	while (isdigit((unsigned char)*p))
		p++;
	if (*p == '.') {
		p++;
		assert_true(isdigit((unsigned char)*p));
		while (isdigit((unsigned char)*p))
			p++;
		assert_int_not_equal(p[-1], '0');
	}
	assert_int_equal(*p, '\0');
	if (s[0] == '-')
		assert_true(strtod(s, NULL) != 0);
	/* No leading zero, not even before the point (".5"); zero itself is "0". */
	const char *digits = s[0] == '-' ? s + 1 : s;
	if (digits[0] == '0')
		assert_true(digits[1] == '\0' && digits == s);
	assert_true(digits[0] != '\0');
}

static int fraction_digits(const char *s)
{
	const char *dot = strchr(s, '.');
	return dot ? (int)strlen(dot + 1) : 0;
}

/* ---- numbers ---- */

/* The formatter against libc: strtod (C locale) reads back a value within tolerance, and the
 * correctly rounded printf with one fraction digit fewer is not within tolerance. */
static void check_number(double v, double tol)
{
	char s[SVG_NUMBER_MAX];
	size_t const n = svg_number_format(v, tol, s);
	assert_int_equal(n, strlen(s));
	assert_true(n > 0);
	assert_plain_number(s);
	double const back = strtod(s, NULL);
	double const slack = 4 * DBL_EPSILON * fmax(1, fabs(v)) * 10;
	if (!(fabs(back - v) <= tol + slack))
		fail_msg("%.17g (tolerance %g) -> %s", v, tol, s);
	int const d = fraction_digits(s);
	if (d > 0) {
		char shorter[64];
		snprintf(shorter, sizeof(shorter), "%.*f", d - 1, v);
		if (!(fabs(strtod(shorter, NULL) - v) > tol - slack))
			fail_msg("%.17g (tolerance %g) -> %s but %s is close enough", v, tol, s,
				 shorter);
	}
}

static void test_number_random_against_libc(void **state)
{
	static const double tolerances[] = {0.5, 0.01, 0.005, 1e-3, 3.9e-5, 1e-5, 1e-6};
	for (int i = 0; i < 200000; i++) {
		double const magnitude = pow(10, -4 + 9 * rng_unit()); /* 1e-4 .. 1e5 */
		double const v = (rng() & 1 ? -1 : 1) * magnitude * rng_unit();
		check_number(v, tolerances[i % 7]);
	}
	/* Values on and near the grid: exact decimals, halves, integers. */
	for (int i = -3000; i <= 3000; i++) {
		check_number(i / 100.0, 0.01);
		check_number(i / 100.0 + 0.005, 0.01);
		check_number(i / 8.0, 0.01);
		check_number(i, 0.5);
		check_number(i / 1000.0, 1e-5);
	}
}

static void test_number_zero_and_sign(void **state)
{
	char s[SVG_NUMBER_MAX];
	/* Negative zero and negatives that round to zero are plain "0". */
	static const double zeros[] = {0.0, -0.0, -0.004, 0.004, -1e-12};
	for (size_t i = 0; i < sizeof(zeros) / sizeof(zeros[0]); i++) {
		assert_int_equal(svg_number_format(zeros[i], 0.01, s), 1);
		assert_string_equal(s, "0");
	}
	svg_number_format(-0.25, 0.01, s);
	assert_true(s[0] == '-' && strtod(s, NULL) == -0.25);
}

static void test_number_refuses(void **state)
{
	char s[SVG_NUMBER_MAX] = "x";
	assert_int_equal(svg_number_format(NAN, 0.01, s), 0);
	assert_string_equal(s, "");
	assert_int_equal(svg_number_format(INFINITY, 0.01, s), 0);
	assert_int_equal(svg_number_format(-INFINITY, 0.01, s), 0);
	assert_int_equal(svg_number_format(SVG_NUMBER_LIMIT * 2, 0.01, s), 0);
	assert_int_equal(svg_number_format(1, 0, s), 0);
	assert_int_equal(svg_number_format(1, -1, s), 0);
	assert_int_equal(svg_number_format(1, NAN, s), 0);
	/* The limits themselves fit, without an exponent. */
	assert_true(svg_number_format(-SVG_NUMBER_LIMIT, SVG_TOLERANCE_MIN, s) > 0);
	assert_plain_number(s);
	assert_true(svg_number_format(123456789.123456789, SVG_TOLERANCE_MIN, s) > 0);
	assert_plain_number(s);
	assert_null(strchr(s, 'e'));
}

static void test_decimal_format(void **state)
{
	char s[SVG_NUMBER_MAX];
	/* digits · 10^-decimals, read back by strtod: exact for these small values. */
	for (int64_t digits = -100000; digits <= 100000; digits += 7) {
		for (int d = 0; d <= 4; d++) {
			assert_true(svg_decimal_format((struct svg_decimal){digits, d}, s) > 0);
			assert_plain_number(s);
			assert_true(fabs(strtod(s, NULL) - (double)digits / pow(10, d)) < 1e-9);
		}
	}
	assert_int_equal(svg_decimal_format((struct svg_decimal){1, -1}, s), 0);
	assert_int_equal(svg_decimal_format((struct svg_decimal){1, SVG_DECIMALS_MAX + 1}, s), 0);
}

/* Formatting ignores LC_NUMERIC: a decimal-comma locale changes nothing. */
static void test_number_locale(void **state)
{
	char c_text[SVG_NUMBER_MAX], de_text[SVG_NUMBER_MAX];
	struct svg_options o;
	struct base_buf c_doc, de_doc;

	svg_options_default(&o);
	o.animate = true;
	base_buf_init(&c_doc);
	base_buf_init(&de_doc);
	svg_number_format(1234.5678, 1e-4, c_text);
	assert_int_equal(svg_write(&o, &c_doc), SVG_OK);

	if (!setlocale(LC_ALL, "de_DE.UTF-8"))
		fail_msg("locale de_DE.UTF-8 is missing (scripts/setup.sh --test makes it)");
	char probe[16];
	snprintf(probe, sizeof(probe), "%.1f", 1.5);
	assert_string_equal(probe, "1,5"); /* the locale really uses a comma */
	svg_number_format(1234.5678, 1e-4, de_text);
	assert_int_equal(svg_write(&o, &de_doc), SVG_OK);
	setlocale(LC_ALL, "C");

	assert_string_equal(c_text, de_text);
	assert_string_equal(c_text, "1234.5678");
	assert_int_equal(c_doc.len, de_doc.len);
	assert_memory_equal(c_doc.data, de_doc.data, c_doc.len);
	base_buf_finish(&c_doc);
	base_buf_finish(&de_doc);
}

/* ---- escaping ---- */

/* An independent reader for what svg_escape_append() may write. */
static size_t unescape(const char *s, char *out)
{
	static const struct {
		const char *entity;
		char c;
	} known[] = {{"&amp;", '&'},  {"&lt;", '<'},  {"&gt;", '>'},   {"&quot;", '"'},
		     {"&#39;", '\''}, {"&#9;", '\t'}, {"&#10;", '\n'}, {"&#13;", '\r'}};
	size_t n = 0;
	while (*s) {
		if (*s != '&') {
			out[n++] = *s++;
			continue;
		}
		size_t i;
		for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
			if (strncmp(s, known[i].entity, strlen(known[i].entity)) == 0)
				break;
		if (i == sizeof(known) / sizeof(known[0]))
			fail_msg("unknown entity at '%.8s'", s);
		out[n++] = known[i].c;
		s += strlen(known[i].entity);
	}
	out[n] = '\0';
	return n;
}

static void test_escape_every_byte(void **state)
{
	char text[256], back[256];
	struct base_buf b;

	for (int i = 1; i < 256; i++)
		text[i - 1] = (char)i;
	text[255] = '\0';
	base_buf_init(&b);
	assert_true(svg_escape_append(&b, text));
	assert_false(b.failed);
	for (size_t i = 0; i < b.len; i++)
		assert_null(strchr("<>\"'\t\n\r", b.data[i]));
	assert_int_equal(unescape(b.data, back), 255);
	assert_string_equal(back, text);
	base_buf_finish(&b);
	base_buf_finish(NULL);
}

static void test_escape_hostile(void **state)
{
	static const char *const hostile[] = {
		"</title><script>alert(1)</script>",
		"]]>",
		"-->",
		"<!--",
		"&amp;",
		"&#x41;",
		"\"' onload=\"x",
		"<![CDATA[x]]>",
		"",
		"plain",
	};
	for (size_t i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		struct base_buf b;
		char back[128];
		base_buf_init(&b);
		assert_true(svg_escape_append(&b, hostile[i]));
		assert_true(b.len == 0 || strpbrk(b.data, "<>\"'") == NULL);
		unescape(b.len ? b.data : "", back);
		assert_string_equal(back, hostile[i]);
		base_buf_finish(&b);
	}
}

/* ---- titles ---- */

/* What the title check should say about code point cp, from the Unicode and XML rules. */
static enum svg_error expected_for(uint32_t cp)
{
	if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return SVG_ERR_TITLE_UTF8;
	if ((cp < 0x20 && cp != 9) || (cp >= 0x7f && cp <= 0x9f))
		return SVG_ERR_TITLE_CONTROL;
	if ((cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xffff) >= 0xfffe)
		return SVG_ERR_TITLE_NONCHAR;
	return SVG_OK;
}

static enum svg_error check_bytes(const unsigned char *s, size_t n, size_t *at)
{
	char text[16] = "ok ";
	memcpy(text + 3, s, n);
	text[3 + n] = '\0';
	enum svg_error const e = svg_title_check(text, at);
	if (e != SVG_OK && e != SVG_ERR_TITLE_EMPTY && e != SVG_ERR_TITLE_LONG)
		*at -= 3;
	return e;
}

/* Every code point, encoded: accepted exactly when it is a character XML allows and not a
 * control or noncharacter; the offset points at it. */
static void test_title_every_code_point(void **state)
{
	for (uint32_t cp = 1; cp < 0x110100; cp++) {
		unsigned char s[4];
		size_t at = 99;
		size_t const n = utf8_encode(cp, s);
		enum svg_error const e = check_bytes(s, n, &at);
		if (e != expected_for(cp))
			fail_msg("U+%04X: %s, expected %s", (unsigned)cp, svg_strerror(e),
				 svg_strerror(expected_for(cp)));
		if (e != SVG_OK)
			assert_int_equal(at, 0);
	}
}

/* What the title check should say about a short string, walking it character by character:
 * a character is valid UTF-8 exactly when it is the one encoding of a scalar value (decode
 * naively, re-encode, compare), so overlong forms, surrogates and truncations fail. */
static enum svg_error expected_for_bytes(const unsigned char *s, size_t n)
{
	size_t i = 0;
	unsigned char again[4];
	while (i < n) {
		uint32_t cp;
		size_t len = s[i] < 0x80 ? 1 : s[i] >= 0xf0 ? 4 : s[i] >= 0xe0 ? 3 : 2;
		if ((s[i] >= 0x80 && s[i] < 0xc0) || i + len > n)
			return SVG_ERR_TITLE_UTF8;
		cp = len == 1 ? s[i] : (uint32_t)(s[i] & (0x7f >> len));
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return SVG_ERR_TITLE_UTF8;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if (utf8_encode(cp, again) != len || memcmp(again, s + i, len) != 0)
			return SVG_ERR_TITLE_UTF8;
		if (expected_for(cp) != SVG_OK)
			return expected_for(cp);
		i += len;
	}
	return SVG_OK;
}

/* Every string of two or three non-NUL bytes. */
static void test_title_every_short_string(void **state)
{
	unsigned char s[3];
	for (uint32_t v = 0; v < 1u << 24; v++) {
		s[0] = (unsigned char)(v >> 16);
		s[1] = (unsigned char)(v >> 8);
		s[2] = (unsigned char)v;
		size_t const n = s[0] == 0 ? 0 : s[1] == 0 ? 1 : s[2] == 0 ? 2 : 3;
		if (n < 2)
			continue;
		size_t at;
		enum svg_error const e = check_bytes(s, n, &at);
		if (e != expected_for_bytes(s, n))
			fail_msg("%02x %02x %02x: %s", s[0], s[1], s[2], svg_strerror(e));
	}
}

static void test_title_named_cases(void **state)
{
	static const struct {
		const char *text;
		enum svg_error err;
		size_t at;
	} cases[] = {
		{"A heart", SVG_OK, 0},
		{"tab\tis fine", SVG_OK, 0},
		{"h\xc3\xa9\xe2\x9d\xa4\xf0\x9f\x98\x80", SVG_OK, 0},
		{"", SVG_ERR_TITLE_EMPTY, 0},
		{"new\nline", SVG_ERR_TITLE_CONTROL, 3},
		{"cr\r", SVG_ERR_TITLE_CONTROL, 2},
		{"\x1b[2J", SVG_ERR_TITLE_CONTROL, 0},
		{"del\x7f", SVG_ERR_TITLE_CONTROL, 3},
		{"c1 \xc2\x85", SVG_ERR_TITLE_CONTROL, 3},
		{"overlong slash \xc0\xaf", SVG_ERR_TITLE_UTF8, 15},
		{"overlong nul \xc0\x80", SVG_ERR_TITLE_UTF8, 13},
		{"overlong 3 \xe0\x80\xaf", SVG_ERR_TITLE_UTF8, 11},
		{"overlong 4 \xf0\x80\x80\xaf", SVG_ERR_TITLE_UTF8, 11},
		{"surrogate \xed\xa0\x80", SVG_ERR_TITLE_UTF8, 10},
		{"low surrogate \xed\xbf\xbf", SVG_ERR_TITLE_UTF8, 14},
		{"too big \xf4\x90\x80\x80", SVG_ERR_TITLE_UTF8, 8},
		{"lead f5 \xf5\x80\x80\x80", SVG_ERR_TITLE_UTF8, 8},
		{"ff \xff", SVG_ERR_TITLE_UTF8, 3},
		{"truncated \xe2\x9d", SVG_ERR_TITLE_UTF8, 10},
		{"truncated then ascii \xf0\x9f\x98x", SVG_ERR_TITLE_UTF8, 21},
		{"lone continuation \x80", SVG_ERR_TITLE_UTF8, 18},
		{"U+FFFE \xef\xbf\xbe", SVG_ERR_TITLE_NONCHAR, 7},
		{"U+FDD0 \xef\xb7\x90", SVG_ERR_TITLE_NONCHAR, 7},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t at = 12345;
		enum svg_error const e = svg_title_check(cases[i].text, &at);
		if (e != cases[i].err || at != cases[i].at)
			fail_msg("case %zu: %s at %zu", i, svg_strerror(e), at);
	}
	assert_int_equal(svg_title_check("x", NULL), SVG_OK);
}

static void test_title_length(void **state)
{
	char *text = malloc(SVG_TITLE_MAX + 2);
	assert_non_null(text);
	memset(text, 'a', SVG_TITLE_MAX);
	text[SVG_TITLE_MAX] = '\0';
	assert_int_equal(svg_title_check(text, NULL), SVG_OK);
	text[SVG_TITLE_MAX] = 'a';
	text[SVG_TITLE_MAX + 1] = '\0';
	assert_int_equal(svg_title_check(text, NULL), SVG_ERR_TITLE_LONG);
	free(text);
}

/* ---- ids ---- */

/* [A-Za-z][A-Za-z0-9_-]*, checked byte by byte against the C locale's ctype. */
static void test_id_grammar(void **state)
{
	char id[4] = {0};
	for (int a = 1; a < 256; a++) {
		id[0] = (char)a;
		id[1] = '\0';
		assert_int_equal(svg_id_check(id) == SVG_OK, isalpha(a) && a < 128);
		for (int b = 1; b < 256; b++) {
			id[0] = 'h';
			id[1] = (char)b;
			bool const ok = b < 128 && (isalnum(b) || b == '_' || b == '-');
			assert_int_equal(svg_id_check(id) == SVG_OK, ok);
		}
	}
	assert_int_equal(svg_id_check(""), SVG_ERR_ID);

	char long_id[SVG_ID_MAX + 2];
	memset(long_id, 'a', sizeof(long_id));
	long_id[SVG_ID_MAX] = '\0';
	assert_int_equal(svg_id_check(long_id), SVG_OK);
	long_id[SVG_ID_MAX] = 'a';
	long_id[SVG_ID_MAX + 1] = '\0';
	assert_int_equal(svg_id_check(long_id), SVG_ERR_ID);
}

/* ---- the document ---- */

static char *write_doc(const struct svg_options *o)
{
	struct base_buf b;
	base_buf_init(&b);
	assert_int_equal(svg_write(o, &b), SVG_OK);
	assert_non_null(b.data);
	assert_int_equal(b.data[b.len - 1], '\n');
	return b.data; /* the caller frees */
}

/* The d attribute's numbers and commands, read back (C locale strtod). */
struct parsed_path {
	struct heart_point start;
	struct heart_cubic seg[16];
	int n;
};

static void parse_path(const char *d, struct parsed_path *out)
{
	struct heart_point cur = {0, 0}, prev_c2 = {0, 0};
	char cmd = 0;
	const char *p = d;
	out->n = 0;
	out->start = cur;
	while (*p && *p != '"') {
		assert_true(*p != 'z' && *p != 'Z'); /* a fill closes the path */
		if (strchr("MCcSs", *p)) {
			cmd = *p++;
			continue;
		}
		double v[6];
		int const count = cmd == 'M' ? 2 : cmd == 's' || cmd == 'S' ? 4 : 6;
		for (int i = 0; i < count; i++) {
			char *end;
			v[i] = strtod(p, &end);
			assert_true(end != p);
			p = end;
			if (*p == ' ')
				p++;
		}
		if (cmd == 'M') {
			cur = out->start = (struct heart_point){v[0], v[1]};
			continue;
		}
		assert_true(out->n < 16);
		/* Relative commands add the current point; absolute ones add nothing. */
		struct heart_point const o =
			islower((unsigned char)cmd) ? cur : (struct heart_point){0, 0};
		struct heart_cubic *c = &out->seg[out->n++];
		int k = 0;
		if (cmd == 'c' || cmd == 'C') {
			c->c1 = (struct heart_point){o.x + v[0], o.y + v[1]};
			k = 2;
		} else {
			c->c1 = (struct heart_point){2 * cur.x - prev_c2.x, 2 * cur.y - prev_c2.y};
		}
		c->c2 = (struct heart_point){o.x + v[k], o.y + v[k + 1]};
		c->end = (struct heart_point){o.x + v[k + 2], o.y + v[k + 3]};
		prev_c2 = c->c2;
		cur = c->end;
	}
	assert_int_equal(*p, '"');
	/* Closed: the last segment ends on the start point. */
	assert_true(out->n > 0);
	assert_true(fabs(cur.x - out->start.x) <= 1e-9 * (1 + fabs(out->start.x)) * out->n);
	assert_true(fabs(cur.y - out->start.y) <= 1e-9 * (1 + fabs(out->start.y)) * out->n);
}

static void assert_near(struct heart_point a, struct heart_point b, double tol)
{
	if (!(fabs(a.x - b.x) <= tol && fabs(a.y - b.y) <= tol))
		fail_msg("(%.6f, %.6f) vs model (%.6f, %.6f)", a.x, a.y, b.x, b.y);
}

/* The path is the model's six cubics, every control point within 0.01 px and within 1/2000
 * of the smaller side: a small SVG scaled up keeps its shape. */
static void check_path_exact(const struct svg_options *o)
{
	char *doc = write_doc(o);
	struct parsed_path got;
	struct heart_transform t;
	struct heart_path want;
	const char *d = strstr(doc, " d=\"");
	assert_non_null(d);
	parse_path(d + 4, &got);
	/* Room for the beat only when it beats. */
	heart_layout(&o->shape, o->width, o->height, 1, HEART_IMAGE_MARGIN,
		     o->animate ? 1 + o->amplitude : 1, &t);
	heart_path_build(&o->shape, &t, &want);
	assert_int_equal(got.n, HEART_SEGMENTS);
	double const tol =
		fmin(0.01, 5e-4 * fmin(o->width, o->height)) + 1e-9 * fmax(o->width, o->height);
	assert_near(got.start, want.start, tol);
	for (int i = 0; i < HEART_SEGMENTS; i++) {
		assert_near(got.seg[i].c1, want.seg[i].c1, tol);
		assert_near(got.seg[i].c2, want.seg[i].c2, tol);
		assert_near(got.seg[i].end, want.seg[i].end, tol);
	}
	free(doc);
}

static void test_path_is_the_model(void **state)
{
	struct svg_options o;
	static const uint32_t sizes[][2] = {
		{256, 256},  {1, 1},      {7, 3},         {2, 19},     {512, 512},
		{1000, 300}, {300, 1000}, {16384, 16384}, {12345, 77}, {16384, 1},
	};
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		for (int shape = 0; shape < 40; shape++) {
			svg_options_default(&o);
			o.width = sizes[i][0];
			o.height = sizes[i][1];
			/* The extremes and random values of every parameter. */
			for (int p = 0; p < HEART_PARAM_COUNT; p++) {
				const struct heart_param_info *info = heart_param_info(p);
				double const u = shape < 2 ? shape : rng_unit();
				assert_true(heart_shape_set(
					&o.shape, p, info->min + u * (info->max - info->min)));
			}
			o.amplitude = shape % 3 == 0 ? 0 : HEART_AMPLITUDE_MAX * rng_unit();
			o.animate = shape % 2 == 1;
			check_path_exact(&o);
		}
	}
}

/* The farthest control point of the heart at rest from the image's centre, in pixels. */
static double heart_reach(const struct svg_options *o)
{
	struct heart_transform t;
	struct heart_path p;
	double const cx = o->width / 2.0, cy = o->height / 2.0;
	heart_layout(&o->shape, o->width, o->height, 1, HEART_IMAGE_MARGIN, 1 + o->amplitude, &t);
	heart_path_build(&o->shape, &t, &p);
	double far = hypot(p.start.x - cx, p.start.y - cy);
	for (int i = 0; i < HEART_SEGMENTS; i++) {
		far = fmax(far, hypot(p.seg[i].c1.x - cx, p.seg[i].c1.y - cy));
		far = fmax(far, hypot(p.seg[i].c2.x - cx, p.seg[i].c2.y - cy));
		far = fmax(far, hypot(p.seg[i].end.x - cx, p.seg[i].end.y - cy));
	}
	return far;
}

/*
 * The keyframes of doc, read back into percent order: rules of "P%" or "to" selectors,
 * comma-separated, each "{scale:S}". Returns how many; every percent appears once.
 */
static int parse_keyframes(const char *doc, double pct[101], double scale[101])
{
	int n = 0;
	const char *p = strstr(doc, "@keyframes heart-beat{");
	assert_non_null(p);
	p = strchr(p, '{') + 1;
	while (*p != '}') {
		int const first = n;
		char *end;
		for (;;) {
			assert_true(n < 101);
			if (strncmp(p, "to", 2) == 0) {
				pct[n++] = 100;
				p += 2;
			} else {
				pct[n++] = strtod(p, &end);
				assert_true(*end == '%');
				p = end + 1;
			}
			if (*p != ',')
				break;
			p++;
		}
		assert_true(strncmp(p, "{scale:", 7) == 0);
		double const v = strtod(p + 7, &end);
		assert_true(end != p + 7 && *end == '}');
		for (int i = first; i < n; i++)
			scale[i] = v;
		p = end + 1;
	}
	for (int i = 1; i < n; i++) /* insertion sort by percent */
		for (int j = i; j > 0 && pct[j - 1] > pct[j]; j--) {
			double const tp = pct[j], ts = scale[j];
			pct[j] = pct[j - 1], scale[j] = scale[j - 1];
			pct[j - 1] = tp, scale[j - 1] = ts;
		}
	for (int i = 1; i < n; i++)
		assert_true(pct[i] > pct[i - 1]);
	assert_true(n >= 2 && pct[0] == 0 && pct[n - 1] == 100);
	return n;
}

/* Keyframes: linear interpolation between them follows the terminal's beat at every 1 %
 * of a beat, within the path's tolerance at the heart's farthest point (a hundredth of a
 * pixel, less for small images); the duration is one beat. */
static void check_keyframes(const struct svg_options *o)
{
	char *doc = write_doc(o);
	double pct[101], scale[101];
	int const n = parse_keyframes(doc, pct, scale);
	double const side = fmin(o->width, o->height);
	double const tol = fmin(0.01, 5e-4 * side) / heart_reach(o) + 1e-12;
	for (int step = 0, k = 0; step <= 100; step++) {
		while (pct[k + 1] < step)
			k++;
		double const f = (step - pct[k]) / (pct[k + 1] - pct[k]);
		double const css = scale[k] + f * (scale[k + 1] - scale[k]);
		double const want = heart_beat_scale(o->hz, o->amplitude, step / 100.0 / o->hz);
		if (!(fabs(css - want) <= tol))
			fail_msg("%ux%u: %d%%: %.9f, beat %.9f", o->width, o->height, step, css,
				 want);
	}
	/* Fewer keyframes than samples: the rest and the nearly straight flanks merge. */
	assert_true(n < 35);
	free(doc);
}

static void test_keyframes_follow_the_beat(void **state)
{
	static const struct {
		uint32_t w, h;
		double amplitude;
	} cases[] = {{256, 256, HEART_AMPLITUDE_MAX},
		     {256, 256, HEART_AMPLITUDE_DEFAULT},
		     {16, 16, 0.3},
		     {1, 1, 0.5},
		     {16384, 16384, 0.12},
		     {1000, 200, 0.05}};
	struct svg_options o;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		svg_options_default(&o);
		o.animate = true;
		o.width = cases[i].w;
		o.height = cases[i].h;
		o.amplitude = cases[i].amplitude;
		o.hz = 1.4;
		check_keyframes(&o);
	}
	svg_options_default(&o);
	o.animate = true;
	o.amplitude = HEART_AMPLITUDE_MAX;
	o.hz = 1.4;
	char *doc = write_doc(&o);
	const char *anim = strstr(doc, "animation:heart-beat ");
	assert_non_null(anim);
	char *end;
	double const period = strtod(anim + 21, &end);
	assert_true(fabs(period - 1 / 1.4) <= 1e-5);
	assert_true(strncmp(end, "s linear infinite}", 18) == 0);
	assert_non_null(strstr(doc, "transform-origin:128px 128px"));
	assert_non_null(strstr(doc, "@media (prefers-reduced-motion:reduce){#heart-heart"
				    "{animation:none}}"));
	assert_non_null(strstr(doc, "<path id=\"heart-heart\""));
	free(doc);
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

static void test_accessibility_and_ids(void **state)
{
	struct svg_options o;
	svg_options_default(&o);
	char *plain = write_doc(&o);
	assert_int_equal(count(plain, "aria-hidden=\"true\""), 1);
	assert_int_equal(count(plain, "<title"), 0);
	assert_int_equal(count(plain, "role="), 0);
	assert_int_equal(count(plain, "style"), 0); /* presentation attributes only */
	free(plain);

	o.title = "</title><x y=\"1\">&";
	o.id_prefix = "h2_a-b";
	o.animate = true;
	char *titled = write_doc(&o);
	assert_int_equal(count(titled, "aria-hidden"), 0);
	assert_int_equal(count(titled, " role=\"img\" aria-labelledby=\"h2_a-b-title\""), 1);
	assert_int_equal(count(titled, "<title id=\"h2_a-b-title\">&lt;/title&gt;&lt;x "
				       "y=&quot;1&quot;&gt;&amp;</title>"),
			 1);
	assert_int_equal(count(titled, "<title"), 1);
	assert_int_equal(count(titled, "@keyframes h2_a-b-beat{"), 1);
	assert_int_equal(count(titled, "#h2_a-b-heart{"), 2);
	/* No id keeps the default prefix. */
	assert_int_equal(
		count(titled, "\"heart-") + count(titled, "#heart-") + count(titled, " heart-"), 0);
	free(titled);
}

static void test_colors_and_background(void **state)
{
	struct svg_options o;
	svg_options_default(&o);
	o.color = (struct heart_rgb){0x12, 0xab, 0xef};
	char *a = write_doc(&o);
	assert_non_null(strstr(a, "<path fill=\"#12abef\""));
	assert_null(strstr(a, "<rect"));
	free(a);
	o.color = (struct heart_rgb){0xff, 0x66, 0x00};
	o.background = true;
	o.background_color = (struct heart_rgb){0xff, 0xff, 0xfe};
	char *b = write_doc(&o);
	assert_non_null(strstr(b, "<path fill=\"#f60\""));
	assert_non_null(strstr(b, "<rect width=\"100%\" height=\"100%\" fill=\"#fffffe\"/><path"));
	free(b);
}

/* o's document has s exactly once. */
static void assert_doc_has(const struct svg_options *o, const char *s)
{
	char *const doc = write_doc(o);
	if (count(doc, s) != 1)
		fail_msg("not once: %s\nin: %s", s, doc);
	free(doc);
}

/* Dark mode: a <style> exactly when the document needs one (the CSP follows it), the rule
 * names the elements it colours, and the light colours stay in the attributes. */
static void test_dark_mode(void **state)
{
	struct svg_options o;
	svg_options_default(&o);
	assert_false(svg_has_style(&o));
	o.has_dark_background = true; /* transparent in both modes: nothing to say */
	assert_false(svg_has_style(&o));
	assert_doc_has(&o, "aria-hidden=\"true\"><path fill=\"red\"");

	o.dark_background = true;
	o.dark_background_color = (struct heart_rgb){0x11, 0x22, 0x33};
	assert_true(svg_has_style(&o));
	assert_doc_has(&o, "<style>@media (prefers-color-scheme:dark){#heart-background{fill:#123}"
			   "}</style><rect id=\"heart-background\" width=\"100%\" height=\"100%\" "
			   "fill=\"none\"/><path fill=\"red\"");

	o.has_dark_background = false;
	o.has_dark_color = true;
	o.dark_color = (struct heart_rgb){0xff, 0xc0, 0xcb};
	o.background = true;
	o.background_color = (struct heart_rgb){0xff, 0xff, 0xff};
	o.id_prefix = "k";
	assert_true(svg_has_style(&o));
	assert_doc_has(&o, "<style>@media (prefers-color-scheme:dark){#k-heart{fill:pink}}</style>"
			   "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path "
			   "id=\"k-heart\" fill=\"red\"");

	o.animate = true;
	assert_doc_has(&o, "<style>@keyframes k-beat{");
	assert_doc_has(&o, "{animation:none}}@media (prefers-color-scheme:dark){#k-heart{fill:"
			   "pink}}</style>");
}

static void test_refused_options_write_nothing(void **state)
{
	struct svg_options o;
	struct base_buf b;
	base_buf_init(&b);
	static const uint32_t bad_sizes[][2] = {{0, 5}, {5, 0}, {SVG_SIZE_MAX + 1, 5}};
	for (size_t i = 0; i < 3; i++) {
		svg_options_default(&o);
		o.width = bad_sizes[i][0];
		o.height = bad_sizes[i][1];
		assert_int_equal(svg_write(&o, &b), SVG_ERR_SIZE);
	}
	svg_options_default(&o);
	o.hz = HEART_BEAT_HZ_MAX * 1.01;
	assert_int_equal(svg_write(&o, &b), SVG_ERR_BEAT);
	o.hz = NAN;
	assert_int_equal(svg_write(&o, &b), SVG_ERR_BEAT);
	svg_options_default(&o);
	o.amplitude = -0.1;
	assert_int_equal(svg_write(&o, &b), SVG_ERR_BEAT);
	svg_options_default(&o);
	o.title = "bad\x01";
	assert_int_equal(svg_write(&o, &b), SVG_ERR_TITLE_CONTROL);
	o.title = NULL;
	o.id_prefix = "1abc";
	assert_int_equal(svg_write(&o, &b), SVG_ERR_ID);
	assert_int_equal(b.len, 0);
	assert_null(b.data);
}

static void test_deterministic(void **state)
{
	struct svg_options o;
	svg_options_default(&o);
	o.animate = true;
	o.title = "same";
	char *a = write_doc(&o);
	char *b = write_doc(&o);
	assert_string_equal(a, b);
	free(a);
	free(b);
}

/* The static heart at every size stays well under 1 KB. */
static void test_static_is_small(void **state)
{
	struct svg_options o;
	svg_options_default(&o);
	o.width = o.height = SVG_SIZE_MAX;
	o.color = (struct heart_rgb){0x12, 0x34, 0x56};
	o.background = true;
	char *doc = write_doc(&o);
	assert_true(strlen(doc) < 700);
	free(doc);
}

static long realloc_calls_for(const struct svg_options *o)
{
	struct base_buf b;
	long calls = 0;
	base_buf_init(&b);
	/* Count the growths of a successful write: a large countdown that never reaches 0. */
	realloc_countdown = 1000000;
	assert_int_equal(svg_write(o, &b), SVG_OK);
	calls = 1000000 - realloc_countdown;
	realloc_countdown = -1;
	base_buf_finish(&b);
	return calls;
}

/* Each growth of the buffer, made to fail in turn, gives SVG_ERR_NOMEM and nothing leaks. */
static void test_out_of_memory(void **state)
{
	struct svg_options o;
	svg_options_default(&o);
	o.animate = true;
	long const calls = realloc_calls_for(&o);
	assert_true(calls >= 1);
	for (long fail_after = 0; fail_after < calls; fail_after++) {
		struct base_buf b;
		base_buf_init(&b);
		realloc_countdown = fail_after;
		enum svg_error const e = svg_write(&o, &b);
		realloc_countdown = -1;
		assert_int_equal(e, SVG_ERR_NOMEM);
		assert_true(b.failed);
		assert_false(base_buf_append(&b, "x", 1));
		base_buf_finish(&b);
		assert_null(b.data);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_number_random_against_libc),
		cmocka_unit_test(test_number_zero_and_sign),
		cmocka_unit_test(test_number_refuses),
		cmocka_unit_test(test_decimal_format),
		cmocka_unit_test(test_number_locale),
		cmocka_unit_test(test_escape_every_byte),
		cmocka_unit_test(test_escape_hostile),
		cmocka_unit_test(test_title_every_code_point),
		cmocka_unit_test(test_title_every_short_string),
		cmocka_unit_test(test_title_named_cases),
		cmocka_unit_test(test_title_length),
		cmocka_unit_test(test_id_grammar),
		cmocka_unit_test(test_path_is_the_model),
		cmocka_unit_test(test_keyframes_follow_the_beat),
		cmocka_unit_test(test_accessibility_and_ids),
		cmocka_unit_test(test_colors_and_background),
		cmocka_unit_test(test_dark_mode),
		cmocka_unit_test(test_refused_options_write_nothing),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_static_is_small),
		cmocka_unit_test(test_out_of_memory),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
