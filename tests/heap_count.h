#pragma once

#include <stddef.h>

/*
 * Link a test with -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc and heap_count.c, and every
 * malloc, calloc and realloc made by the code under test increments this counter.
 */
extern size_t heap_calls;
