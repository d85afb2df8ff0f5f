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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_double_matches_strtod),
		cmocka_unit_test(test_double_refuses),
		cmocka_unit_test(test_double_locale),
		cmocka_unit_test(test_size_color_choice_flag),
		cmocka_unit_test(test_expected),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
