/* UTF-8, control characters and hex digits: the one copy every module uses. */
#include "base/text.h"

size_t base_utf8_decode(const char *s, size_t len, uint32_t *cp_out)
{
	/* The smallest code point each length may encode: anything less is overlong. */
	static const uint32_t min_cp[] = {0, 0, 0x80, 0x800, 0x10000};
	unsigned char const c = (unsigned char)s[0];
	size_t const n = c < 0x80                 ? 1
			 : c >= 0xc2 && c <= 0xdf ? 2
			 : c >= 0xe0 && c <= 0xef ? 3
			 : c >= 0xf0 && c <= 0xf4 ? 4
						  : 0;
	if (n == 0 || n > len)
		return 0;
	uint32_t cp = n == 1 ? c : c & (0x7fu >> n);
	for (size_t i = 1; i < n; i++) {
		unsigned char const k = (unsigned char)s[i];
		if ((k & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (k & 0x3fu);
	}
	if (cp < min_cp[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	*cp_out = cp;
	return n;
}

bool base_unicode_control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}

int base_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}
