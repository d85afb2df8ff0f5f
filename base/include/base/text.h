#pragma once

/*
 * Text that comes from outside: UTF-8 decoding, the control characters a terminal or a
 * document must not receive, and hex digits. Pure functions on caller memory: no allocation,
 * no global state, safe to call from any number of threads at once.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Decode the UTF-8 sequence at s (len bytes available, len >= 1): returns its length in bytes
 * (1 to 4) with the code point in *cp_out, or 0 (*cp_out untouched) when it is not valid
 * UTF-8: a stray continuation byte, a lead byte C0, C1 or over F4, a sequence cut short by
 * len, an overlong form, a surrogate (U+D800..U+DFFF) or a value over U+10FFFF. s need not be
 * NUL-terminated; a NUL byte decodes as U+0000.
 */
size_t base_utf8_decode(const char *s, size_t len, uint32_t *cp_out);

/*
 * Whether cp is a control character: C0 (U+0000..U+001F, tab included), DEL (U+007F) or C1
 * (U+0080..U+009F), which terminals act on as C0. Callers that allow tab say so themselves.
 */
bool base_unicode_control(uint32_t cp);

/* The value of hex digit c (0-9, a-f, A-F): 0 to 15, or -1 for any other byte. */
int base_hex_digit(char c);
