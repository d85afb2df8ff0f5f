/* What heart verify prints on standard output: the trusted comment, safe for a terminal, and
 * the JSON objects of --json. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base/text.h"
#include "verify.h"

/* Whether a terminal shows cp as itself: not a control, and not one of the invisible format
 * characters that reorder or hide text (bidirectional overrides, zero-width characters). */
static bool printable(uint32_t cp)
{
	if (base_unicode_control(cp))
		return cp == '\t';
	return !(cp == 0xad || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202e) ||
		 (cp >= 0x2060 && cp <= 0x206f) || cp == 0xfeff || (cp >= 0xfff9 && cp <= 0xfffb));
}

/* The trusted comment: printable UTF-8 as it is, every other byte as \xNN, a backslash as
 * \\, so that a comment can neither drive the terminal nor pass for another. */
static void print_trusted(const char *comment)
{
	size_t const len = strlen(comment);
	fputs("Trusted comment: ", stdout);
	for (size_t i = 0; i < len;) {
		uint32_t cp = 0;
		size_t const n = base_utf8_decode(comment + i, len - i, &cp);
		if (n == 0 || !printable(cp)) {
			for (size_t k = 0; k < (n ? n : 1); k++)
				printf("\\x%02x", (unsigned char)comment[i + k]);
		} else if (cp == '\\') {
			fputs("\\\\", stdout);
		} else {
			fwrite(comment + i, 1, n, stdout);
		}
		i += n ? n : 1;
	}
	putchar('\n');
}

static bool json_printed;

void verify_json_reset(void)
{
	json_printed = false;
}

bool verify_json_printed(void)
{
	return json_printed;
}

/* s (len bytes) as a JSON string: valid UTF-8 as itself, '"' and '\\' escaped, control
 * characters (C0, DEL, C1) and U+2028/U+2029 as \u00XX/\u20XX, each byte of invalid UTF-8
 * as U+FFFD. */
static void json_string(const char *s, size_t len)
{
	putchar('"');
	for (size_t i = 0; i < len;) {
		uint32_t cp = 0;
		size_t const n = base_utf8_decode(s + i, len - i, &cp);
		if (n == 0)
			fputs("\\ufffd", stdout);
		else if (cp == '"' || cp == '\\')
			printf("\\%c", (char)cp);
		else if (base_unicode_control(cp) || cp == 0x2028 || cp == 0x2029)
			printf("\\u%04x", (unsigned)cp);
		else
			fwrite(s + i, 1, n, stdout);
		i += n ? n : 1;
	}
	putchar('"');
}

static void json_member(const char *name, const char *value, size_t len)
{
	printf(",\"%s\":", name);
	json_string(value, len);
}

/* The policy form's fields as an object, or null. */
static void json_release(const char *comment)
{
	struct sig_release r;
	if (!sig_release_parse(comment, &r)) {
		fputs("null", stdout);
		return;
	}
	printf("{\"timestamp\":%lld", r.timestamp);
	json_member("file", r.file, r.file_len);
	if (r.product)
		json_member("product", r.product, r.product_len);
	if (r.version)
		json_member("version", r.version, r.version_len);
	if (r.arch)
		json_member("arch", r.arch, r.arch_len);
	putchar('}');
}

void verify_json_object(const char *file, const struct sig_signature *sig, bool authentic,
			const char *reason)
{
	char hex[17];
	fputs("{\"file\":", stdout);
	json_string(file, strlen(file));
	printf(",\"status\":\"%s\",\"key_id\":", reason ? "failed" : "verified");
	if (sig) {
		sig_key_id_hex(sig->key_id, hex);
		printf("\"%s\"", hex);
	} else {
		fputs("null", stdout);
	}
	fputs(",\"trusted_comment\":", stdout);
	if (sig && authentic) {
		json_string(sig->trusted_comment, strlen(sig->trusted_comment));
		fputs(",\"trusted\":", stdout);
		json_release(sig->trusted_comment);
	} else {
		fputs("null,\"trusted\":null", stdout);
	}
	if (reason)
		json_member("reason", reason, strlen(reason));
	puts("}");
	json_printed = true;
}

int verify_report(const struct verify_opts *o, const struct sig_signature *sig)
{
	if (o->json && !o->manifest) {
		verify_json_object(o->file, sig, true, NULL);
	} else if (!o->quiet && !o->json) {
		puts("Signature and comment signature verified");
		print_trusted(sig->trusted_comment);
	} else {
		return EXIT_OK;
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		cli_error("cannot write standard output: %s", strerror(errno));
		return EXIT_BAD;
	}
	return EXIT_OK;
}
