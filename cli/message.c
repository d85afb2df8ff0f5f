#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

struct quoted quote(const char *value)
{
	static const char hex[] = "0123456789abcdef";
	struct quoted q;
	size_t n = 0;
	size_t i;

	for (i = 0; i < 64 && value[i] != '\0'; i++) {
		unsigned char c = (unsigned char)value[i];
		if (c >= 0x20 && c < 0x7f && c != '\\') {
			q.s[n++] = (char)c;
		} else if (c == '\\') {
			q.s[n++] = '\\';
			q.s[n++] = '\\';
		} else {
			q.s[n++] = '\\';
			q.s[n++] = 'x';
			q.s[n++] = hex[c >> 4];
			q.s[n++] = hex[c & 15];
		}
	}
	if (value[i] != '\0') {
		memcpy(q.s + n, "...", 3);
		n += 3;
	}
	q.s[n] = '\0';
	return q;
}

/* The last message reported, for a command that also reports it in another form. */
static char last_error[1024];

const char *cli_last_error(void)
{
	return last_error;
}

__attribute__((format(printf, 1, 0))) static void vreport(const char *fmt, va_list ap)
{
	char *const line = last_error;
	vsnprintf(line, sizeof(last_error), fmt, ap);
	/* One write, so concurrent output cannot split the line. */
	fprintf(stderr, "heart: %s\n", line);
}

void cli_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(fmt, ap);
	va_end(ap);
}

int cli_usage_error(const struct command *cmd, const char *fmt, ...)
{
	char message[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	if (cmd) {
		cli_error("%s: %s", cmd->name, message);
		fprintf(stderr, "Try 'heart help %s'.\n", cmd->name);
	} else {
		cli_error("%s", message);
		fputs("Try 'heart --help'.\n", stderr);
	}
	return EXIT_BAD;
}
