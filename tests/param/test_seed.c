/* A heart for each user (param_draw.h's seed): the contract's golden values, the grammar of a
 * seed, explicit options winning, and that every seed draws a heart, each far from the rest. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "param_draw.h"
#include "shape_metrics.h"

/* ---- the contract ---- */

#define X256                                                                                       \
	"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" \
	"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" \
	"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"

/* Computed apart from heart, by Python's hashlib.blake2b(id, digest_size=32) and the formulas
 * of docs/drawing.md ("A heart for each user"). These never change: they are every user's
 * heart. */
static const struct {
	const char *id;
	double shape[HEART_PARAM_COUNT]; /* aspect, cleft, lobe, tip */
	struct heart_rgb color;
	double hue, phase;
} golden[] = {
	{"alice",
	 {0.91602380407415884, 0.21594064240482183, 0.93200640878919661, 0.52554360265506983},
	 {0x81, 0x86, 0x3a},
	 112.8240966796875,
	 0.6903839111328125},
	{"bob",
	 {1.0559917601281759, 0.27515053025101088, 0.89801419089036394, 0.55457236591134507},
	 {0xb4, 0x67, 0x67},
	 19.8138427734375,
	 0.664459228515625},
	{"1",
	 {1.245450217441062, 0.24559929808499273, 0.98571938658731972, 0.61725642786297397},
	 {0xb0, 0x6d, 0x48},
	 48.6529541015625,
	 0.938812255859375},
	{"user@example.com",
	 {0.9144490730144198, 0.3005366598001068, 1.0559414053559166, 0.30810864423590451},
	 {0x96, 0x7e, 0x31},
	 92.0489501953125,
	 0.808258056640625},
	{"Zo\xc3\xab \xf0\x9f\x99\x82",
	 {1.1696653696498054, 0.18338643472953384, 0.92836255436026549, 0.20636148622873274},
	 {0x38, 0x8a, 0xb3},
	 234.019775390625,
	 0.3009490966796875},
	{X256,
	 {1.1558663309681849, 0.25017212176699472, 1.0535646601052873, 0.76622110322728321},
	 {0x33, 0x8b, 0xb1},
	 230.8721923828125,
	 0.6908111572265625},
};

static void test_golden(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(golden) / sizeof(golden[0]); i++) {
		struct param_seed s;
		param_seed_derive(golden[i].id, strlen(golden[i].id), &s);
		for (int p = 0; p < HEART_PARAM_COUNT; p++)
			assert_float_equal(s.shape.value[p], golden[i].shape[p], 1e-15);
		assert_int_equal(s.color.r, golden[i].color.r);
		assert_int_equal(s.color.g, golden[i].color.g);
		assert_int_equal(s.color.b, golden[i].color.b);
		/* hue and phase are whole multiples of 2^-16 turns: exact */
		assert_true(s.hue == golden[i].hue);
		assert_true(s.phase == golden[i].phase);
	}
}

/* ---- the grammar ---- */

static void test_seed_grammar(void **state)
{
	(void)state;
	char long_id[PARAM_SEED_MAX + 2];
	memset(long_id, 'a', sizeof(long_id) - 1);
	long_id[PARAM_SEED_MAX + 1] = '\0';
	assert_false(param_seed_ok(long_id)); /* 257 bytes */
	long_id[PARAM_SEED_MAX] = '\0';
	assert_true(param_seed_ok(long_id)); /* 256 bytes */
	static const char *const good[] = {
		"a",          "alice", "user@example.com", "Zo\xc3\xab \xf0\x9f\x99\x82",
		"with space", "42"};
	static const char *const bad[] = {
		"",
		"a\tb",
		"a\nb",
		"\x1b[31m",
		"a\x7f",
		"\xc2\x85",
		/* C1 NEL */ "\xff",
		"\xc3", /* cut short */
		"\xed\xa0\x80",
		/* surrogate */ "\xc0\xaf", /* overlong */
	};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_true(param_seed_ok(good[i]));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct param_values v;
		param_values_init(&v);
		assert_false(param_seed_ok(bad[i]));
		assert_false(param_values_set(&v, PD_SEED, bad[i]));
		assert_null(v.seed);
	}
}

/* ---- explicit options win ---- */

static void test_explicit_wins(void **state)
{
	(void)state;
	struct param_values v, plain;
	struct param_seed s;
	param_seed_derive("alice", 5, &s);

	param_values_init(&v);
	assert_true(param_values_set(&v, PD_SEED, "alice"));
	param_seed_apply(&v);
	for (int p = 0; p < HEART_PARAM_COUNT; p++)
		assert_true(v.shape.value[p] == s.shape.value[p]);
	assert_memory_equal(&v.color.rgb, &s.color, sizeof(s.color));
	assert_true(v.start == s.phase);

	param_values_init(&v);
	assert_true(param_values_set(&v, PD_SEED, "alice"));
	assert_true(param_values_set(&v, PD_COLOR, "blue"));
	assert_true(param_values_set(&v, PD_TIP, "0.3"));
	param_seed_apply(&v);
	assert_int_equal(v.color.rgb.b, 0xff);
	assert_int_equal(v.color.rgb.r, 0);
	assert_true(v.shape.value[HEART_PARAM_TIP] == 0.3);
	assert_true(v.shape.value[HEART_PARAM_ASPECT] == s.shape.value[HEART_PARAM_ASPECT]);

	/* No seed: nothing changes. */
	param_values_init(&v);
	param_values_init(&plain);
	param_seed_apply(&v);
	assert_memory_equal(&v, &plain, sizeof(v));
}

/* ---- every seed a heart, and spread out ---- */

/* Random ids: 4 to 32 printable ASCII bytes from a fixed generator (splitmix64). */
static uint64_t next(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

static size_t random_id(uint64_t *x, char out[33])
{
	size_t const len = 4 + next(x) % 29;
	for (size_t i = 0; i < len; i++)
		out[i] = (char)(0x21 + next(x) % 94);
	out[len] = '\0';
	return len;
}

static void test_every_seed_is_a_heart(void **state)
{
	(void)state;
	uint64_t x = 21;
	for (unsigned k = 0; k < 10000; k++) {
		char id[33];
		struct param_seed s;
		struct shape_metrics m;
		param_seed_derive(id, random_id(&x, id), &s);
		shape_measure(&s.shape, 400, &m);
		if (!shape_metrics_is_heart(&m)) {
			print_message("id %s: aspect %.4f cleft %.4f lobe %.4f tip %.4f\n", id,
				      s.shape.value[0], s.shape.value[1], s.shape.value[2],
				      s.shape.value[3]);
			fail();
		}
	}
}

/* The spread's distance: Euclidean over the four shape parameters, each as a fraction of its
 * documented range, and the hue as a fraction of the circle (the shorter way round). */
#define SPREAD_MIN 0.025
#define SPREAD_IDS 1000

static double distance(const struct param_seed *a, const struct param_seed *b)
{
	double sum = 0;
	for (int p = 0; p < HEART_PARAM_COUNT; p++) {
		const struct heart_param_info *const info = heart_param_info(p);
		double const d = (a->shape.value[p] - b->shape.value[p]) / (info->max - info->min);
		sum += d * d;
	}
	double h = fabs(a->hue - b->hue) / 360;
	h = fmin(h, 1 - h);
	return sqrt(sum + h * h);
}

static void test_seeds_spread_out(void **state)
{
	(void)state;
	static struct param_seed s[SPREAD_IDS];
	static char ids[SPREAD_IDS][33];
	uint64_t x = 2021;
	double closest = INFINITY;
	for (int i = 0; i < SPREAD_IDS; i++)
		param_seed_derive(ids[i], random_id(&x, ids[i]), &s[i]);
	for (int i = 0; i < SPREAD_IDS; i++) {
		for (int j = i + 1; j < SPREAD_IDS; j++) {
			if (strcmp(ids[i], ids[j]) == 0)
				continue; /* the same id is the same heart */
			double const d = distance(&s[i], &s[j]);
			if (d < SPREAD_MIN)
				print_message("%s and %s: %.4f apart\n", ids[i], ids[j], d);
			assert_true(d >= SPREAD_MIN);
			closest = fmin(closest, d);
		}
	}
	print_message("# closest of %d ids: %.4f apart (at least %g)\n", SPREAD_IDS, closest,
		      SPREAD_MIN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden),
		cmocka_unit_test(test_seed_grammar),
		cmocka_unit_test(test_explicit_wins),
		cmocka_unit_test(test_every_seed_is_a_heart),
		cmocka_unit_test(test_seeds_spread_out),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
