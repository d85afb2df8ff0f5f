/*
 * LD_PRELOAD'ed into heart by tests/e2e/test_svg.py: heart's main() never calls setlocale(),
 * so this puts the process into the environment's locale (de_DE.UTF-8 there) before main()
 * runs, as a library or a future main() might. With HEART_TEST_DECIMAL_POINT set it aborts
 * unless the locale really writes that decimal point, so the test cannot pass by accident.
 */
#include <locale.h>
#include <stdlib.h>
#include <string.h>

__attribute__((constructor)) static void force_locale(void)
{
	const char *const want = getenv("HEART_TEST_DECIMAL_POINT");
	if (!setlocale(LC_ALL, ""))
		abort();
	if (want && strcmp(localeconv()->decimal_point, want) != 0)
		abort();
}
