#pragma once

/* Shared by the libFuzzer harnesses: what each one defines, and how a property fails. */

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A broken property is a crash as far as libFuzzer is concerned: it saves the input. */
static inline void fuzz_require(int cond, const char *what)
{
	if (!cond) {
		fprintf(stderr, "property failed: %s\n", what);
		abort();
	}
}
