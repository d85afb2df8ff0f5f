#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../cli/args.h"
#include "../../cli/cli.h"
#include "../../cli/draw.h"
#include "../../cli/output.h"

static const struct command fake = {.name = "fake", .summary = "", .usage = "Usage: fake\n"};

static const struct arg_opt opts[] = {
	{"out", 'o', true},
	{"quiet", 'q', false},
	{"size", 0, true},
};

static int parse(int argc, char **argv, struct arg_parser *p, const char **value)
{
	arg_init(p, &fake, argc, argv, opts, 3);
	return arg_next(p, value);
}

static void test_long_and_short_forms(void **state)
{
	char *argv[] = {"fake", "--out=a", "-q", "--size", "5", "file", "-o", "b", "--", "-x", NULL};
	struct arg_parser p;
	const char *v;

	arg_init(&p, &fake, 10, argv, opts, 3);
	assert_int_equal(arg_next(&p, &v), 0);
	assert_string_equal(v, "a");
	assert_int_equal(arg_next(&p, &v), 1);
	assert_null(v);
	assert_int_equal(arg_next(&p, &v), 2);
	assert_string_equal(v, "5");
	assert_int_equal(arg_next(&p, &v), ARG_OPERAND);
	assert_string_equal(v, "file");
	/* -o was already given as --out: repeated. */
	assert_int_equal(arg_next(&p, &v), ARG_STOP);
	assert_int_equal(p.status, EXIT_BAD);
}

static void test_double_dash_ends_options(void **state)
{
	char *argv[] = {"fake", "--", "-q", "-", NULL};
	struct arg_parser p;
	const char *v;

	assert_int_equal(parse(4, argv, &p, &v), ARG_OPERAND);
	assert_string_equal(v, "-q");
	assert_int_equal(arg_next(&p, &v), ARG_OPERAND);
	assert_string_equal(v, "-");
	assert_int_equal(arg_next(&p, &v), ARG_DONE);
}

static void test_usage_errors(void **state)
{
	char *unknown[] = {"fake", "--nope", NULL};
	char *missing[] = {"fake", "--out", NULL};
	char *valued_flag[] = {"fake", "--quiet=yes", NULL};
	char *bundled[] = {"fake", "-qo", NULL};
	struct arg_parser p;
	const char *v;

	assert_int_equal(parse(2, unknown, &p, &v), ARG_STOP);
	assert_int_equal(p.status, EXIT_BAD);
	assert_int_equal(parse(2, missing, &p, &v), ARG_STOP);
	assert_int_equal(p.status, EXIT_BAD);
	assert_int_equal(parse(2, valued_flag, &p, &v), ARG_STOP);
	assert_int_equal(p.status, EXIT_BAD);
	assert_int_equal(parse(2, bundled, &p, &v), ARG_STOP);
	assert_int_equal(p.status, EXIT_BAD);
}

static void test_numbers_are_strict(void **state)
{
	static const char *const bad[] = {"", "1.5x", "1,5", " 1", "1 ", "0x10", "1e3", "inf",
					  "nan", "-nan", ".5", "5.", "--1", "1..2", "١"};
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

static void test_draw_options(void **state)
{
	struct draw_opts d;
	draw_opts_init(&d);
	assert_true(d.color.r == 255 && d.color.g == 0 && d.transparent);

	assert_true(draw_opts_apply(&d, DRAW_OPT_COLOR, "#00f"));
	assert_true(d.color.b == 255 && d.color_given);
	assert_false(draw_opts_apply(&d, DRAW_OPT_COLOR, "blue\x1b[0m"));
	assert_true(draw_opts_apply(&d, DRAW_OPT_BACKGROUND, "white"));
	assert_false(d.transparent);
	assert_true(draw_opts_apply(&d, DRAW_OPT_BACKGROUND, "transparent"));
	assert_true(d.transparent);

	assert_true(draw_opts_apply(&d, DRAW_OPT_BPM, "84"));
	assert_true(d.hz > 1.3999 && d.hz < 1.4001);
	assert_false(draw_opts_apply(&d, DRAW_OPT_FPS, "10.5"));
	assert_false(draw_opts_apply(&d, DRAW_OPT_FPS, "0"));
	assert_false(draw_opts_apply(&d, DRAW_OPT_BPM, "5"));
	assert_false(draw_opts_apply(&d, DRAW_OPT_AMPLITUDE, "0.51"));

	struct heart_shape const before = d.shape;
	assert_false(draw_opts_apply(&d, DRAW_OPT_CLEFT, "0.6"));
	assert_false(draw_opts_apply(&d, DRAW_OPT_TIP, "nan"));
	assert_false(draw_opts_apply(&d, DRAW_OPT_ASPECT, "1,2"));
	assert_memory_equal(&d.shape, &before, sizeof(before));
	assert_false(draw_opts_apply(&d, DRAW_OPT_LOBE, "1.5"));
	assert_true(draw_opts_apply(&d, DRAW_OPT_LOBE, "1.15"));
	assert_true(d.shape.value[HEART_PARAM_LOBE] > 1.149);
}

static void test_draw_fps_and_bpm_conflict(void **state)
{
	static const struct arg_opt draw[] = {DRAW_ARG_OPTS};
	char *argv[] = {"fake", "--fps", "1", "--bpm", "60", NULL};
	struct arg_parser p;
	struct draw_opts d;
	const char *v;
	int id;

	draw_opts_init(&d);
	arg_init(&p, &fake, 5, argv, draw, DRAW_OPT_COUNT);
	while ((id = arg_next(&p, &v)) >= 0)
		assert_true(draw_opts_apply(&d, id, v));
	assert_int_equal(id, ARG_DONE);
	assert_false(draw_opts_finish(&d, &p));
}

static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	int n = 0;
	assert_non_null(d);
	for (struct dirent *e; (e = readdir(d));)
		n += e->d_name[0] != '.' || (e->d_name[1] != '\0' && strcmp(e->d_name, ".."));
	closedir(d);
	return n;
}

static void test_output_is_atomic(void **state)
{
	char dir[] = "/tmp/heart-test-XXXXXX";
	char path[64];
	struct out_file o;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/out.txt", dir);

	/* Aborted: nothing is left behind. */
	assert_true(out_open(&o, path, 0644));
	fputs("partial", o.fp);
	assert_int_equal(count_entries(dir), 1); /* the temporary file, not the target */
	assert_int_equal(access(path, F_OK), -1);
	out_abort(&o);
	assert_int_equal(count_entries(dir), 0);

	/* Committed: the target appears whole, with the mode asked for (less the umask). */
	mode_t const mask = umask(022);
	assert_true(out_open(&o, path, 0666));
	fputs("whole", o.fp);
	assert_true(out_commit(&o));
	umask(mask);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 5);
	assert_int_equal(st.st_mode & 0777, 0644);
	assert_int_equal(count_entries(dir), 1);

	/* A directory that does not exist: reported, nothing created. */
	assert_false(out_open(&o, "/nonexistent-heart-dir/x", 0666));
	out_abort(&o);

	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_long_and_short_forms),
		cmocka_unit_test(test_double_dash_ends_options),
		cmocka_unit_test(test_usage_errors),
		cmocka_unit_test(test_numbers_are_strict),
		cmocka_unit_test(test_quote_escapes_and_cuts),
		cmocka_unit_test(test_draw_options),
		cmocka_unit_test(test_draw_fps_and_bpm_conflict),
		cmocka_unit_test(test_output_is_atomic),
	};
	/* The parser reports usage errors on stderr; keep the TAP stream on stdout clean. */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
