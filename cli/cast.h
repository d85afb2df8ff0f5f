#pragma once

/*
 * asciicast v2 (https://docs.asciinema.org/manual/asciicast/v2/): newline-delimited JSON, a
 * header line, then one [seconds, "o", text] line per chunk of terminal output, with seconds
 * counted from the start.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The header line for a cols × rows terminal. Errors show in ferror(fp). */
void cast_header(FILE *fp, uint32_t cols, uint32_t rows);

/* One output event: n bytes of UTF-8 terminal output at `seconds` after the start, JSON-escaped
 * (quotes, backslashes and control bytes). Errors show in ferror(fp). */
void cast_event(FILE *fp, double seconds, const char *bytes, size_t n);
