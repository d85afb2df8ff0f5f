#include "cast.h"

void cast_header(FILE *fp, uint32_t cols, uint32_t rows)
{
	fprintf(fp, "{\"version\": 2, \"width\": %u, \"height\": %u}\n", (unsigned)cols,
		(unsigned)rows);
}

void cast_event(FILE *fp, double seconds, const char *bytes, size_t n)
{
	/* Microseconds: what asciinema itself records. */
	fprintf(fp, "[%.6f, \"o\", \"", seconds);
	for (size_t i = 0; i < n; i++) {
		unsigned char const c = (unsigned char)bytes[i];
		if (c == '"' || c == '\\')
			fprintf(fp, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			fprintf(fp, "\\u%04x", c);
		else
			putc(c, fp);
	}
	fputs("\"]\n", fp);
}
