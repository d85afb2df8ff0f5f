/* Structured trusted comments and semantic versions: what a deployment's policy checks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "signing_internal.h"

enum { NUMBER_MAX_DIGITS = 18 };

int sig_comment_field(const char *comment, const char *name, const char **value_out,
		      size_t *len_out)
{
	size_t const nlen = strlen(name);
	int found = 0;
	*value_out = NULL;
	*len_out = 0;
	for (const char *f = comment; *f;) {
		size_t const flen = strcspn(f, "\t");
		if (flen > nlen && memcmp(f, name, nlen) == 0 && f[nlen] == ':') {
			if (found++)
				return -1;
			*value_out = f + nlen + 1;
			*len_out = flen - nlen - 1;
		}
		f += flen + (f[flen] == '\t');
	}
	return found;
}

/* One dot-separated identifier list (len bytes): each identifier non-empty [0-9A-Za-z-]; when
 * numeric_strict, numeric identifiers have no leading zero. */
static bool identifiers_valid(const char *s, size_t len, bool numeric_strict)
{
	size_t start = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && s[i] != '.') {
			char const c = s[i];
			if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
			      (c >= 'A' && c <= 'Z') || c == '-'))
				return false;
			continue;
		}
		size_t const n = i - start;
		if (n == 0)
			return false;
		if (numeric_strict && strspn(s + start, "0123456789") >= n && n > 1 &&
		    s[start] == '0')
			return false;
		start = i + 1;
	}
	return true;
}

struct semver {
	unsigned long long part[3];
	const char *pre; /* NULL: a release */
	size_t pre_len;
};

static bool number_take(const char **s, const char *end, unsigned long long *out)
{
	size_t n = 0;
	while (*s + n < end && (*s)[n] >= '0' && (*s)[n] <= '9')
		n++;
	if (n == 0 || n > NUMBER_MAX_DIGITS || (n > 1 && **s == '0'))
		return false;
	*out = strtoull(*s, NULL, 10);
	*s += n;
	return true;
}

static bool semver_parse(const char *s, size_t len, struct semver *v)
{
	const char *const end = s + len;
	const char *p = s;
	for (int i = 0; i < 3; i++) {
		if (!number_take(&p, end, &v->part[i]))
			return false;
		if (i < 2 && (p >= end || *p++ != '.'))
			return false;
	}
	const char *const plus = memchr(p, '+', (size_t)(end - p));
	const char *const pre_end = plus ? plus : end;
	v->pre = NULL;
	v->pre_len = 0;
	if (p < pre_end) {
		if (*p != '-' || !identifiers_valid(p + 1, (size_t)(pre_end - p - 1), true))
			return false;
		v->pre = p + 1;
		v->pre_len = (size_t)(pre_end - p - 1);
	}
	return !plus || identifiers_valid(plus + 1, (size_t)(end - plus - 1), false);
}

static int cmp_ull(unsigned long long a, unsigned long long b)
{
	return a < b ? -1 : a > b;
}

/* SemVer 2.0.0, 11.4: identifier by identifier. */
static int pre_compare(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t i = 0, j = 0;
	while (i < alen && j < blen) {
		size_t const an = strcspn(a + i, ".") < alen - i ? strcspn(a + i, ".") : alen - i;
		size_t const bn = strcspn(b + j, ".") < blen - j ? strcspn(b + j, ".") : blen - j;
		bool const anum = strspn(a + i, "0123456789") >= an;
		bool const bnum = strspn(b + j, "0123456789") >= bn;
		int c;
		if (anum && bnum)
			c = an != bn ? cmp_ull(an, bn) : memcmp(a + i, b + j, an);
		else if (anum != bnum)
			c = anum ? -1 : 1;
		else {
			c = memcmp(a + i, b + j, an < bn ? an : bn);
			if (c == 0)
				c = cmp_ull(an, bn);
		}
		if (c != 0)
			return c < 0 ? -1 : 1;
		i += an + 1;
		j += bn + 1;
	}
	return i < alen ? 1 : j < blen ? -1 : 0;
}

enum sig_error sig_version_compare(const char *a, size_t alen, const char *b, size_t blen,
				   int *cmp_out)
{
	struct semver va, vb;
	*cmp_out = 0;
	if (!semver_parse(a, alen, &va) || !semver_parse(b, blen, &vb))
		return SIG_ERR_VERSION;
	for (int i = 0; i < 3; i++) {
		int const c = cmp_ull(va.part[i], vb.part[i]);
		if (c != 0) {
			*cmp_out = c;
			return SIG_OK;
		}
	}
	if (!va.pre || !vb.pre)
		*cmp_out = va.pre ? -1 : vb.pre ? 1 : 0;
	else
		*cmp_out = pre_compare(va.pre, va.pre_len, vb.pre, vb.pre_len);
	return SIG_OK;
}

static bool value_plain(const char *v)
{
	if (!*v)
		return false;
	for (; *v; v++)
		if (*v <= ' ' || *v >= 0x7f || *v == ':')
			return false;
	return true;
}

enum sig_error sig_structured_trusted_comment(const char *path, const char *source_date_epoch,
					      const struct sig_comment_fields *fields,
					      char **comment_out)
{
	const char *const names[] = {"product", "version", "arch"};
	const char *const values[] = {fields->product, fields->version, fields->arch};
	int cmp;
	*comment_out = NULL;
	for (size_t i = 0; i < 3; i++)
		if (values[i] && !value_plain(values[i]))
			return SIG_ERR_FIELD_VALUE;
	if (fields->version && sig_version_compare(fields->version, strlen(fields->version),
						   "0.0.0", 5, &cmp) != SIG_OK)
		return SIG_ERR_VERSION;
	char *base;
	enum sig_error const err = sig_default_trusted_comment(path, source_date_epoch, &base);
	if (err != SIG_OK)
		return err;
	size_t size = strlen(base) + 1;
	for (size_t i = 0; i < 3; i++)
		size += values[i] ? strlen(names[i]) + strlen(values[i]) + 2 : 0;
	char *const comment = malloc(size);
	if (!comment) {
		free(base);
		return SIG_ERR_NOMEM;
	}
	size_t used = (size_t)snprintf(comment, size, "%s", base);
	for (size_t i = 0; i < 3; i++)
		if (values[i])
			used += (size_t)snprintf(comment + used, size - used, "\t%s:%s", names[i],
						 values[i]);
	free(base);
	*comment_out = comment;
	return SIG_OK;
}
