/* The release policy form of trusted comments, semantic versions, and the policy check a
 * deployment runs on them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "signing_internal.h"

enum { NUMBER_MAX_DIGITS = 18, FIELD_VALUE_MAX = 64 };

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

/* A product or arch value: 1 to FIELD_VALUE_MAX of [A-Za-z0-9._+-]. */
static bool value_valid(const char *v, size_t len)
{
	if (len == 0 || len > FIELD_VALUE_MAX)
		return false;
	for (size_t i = 0; i < len; i++) {
		char const c = v[i];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      c == '.' || c == '_' || c == '+' || c == '-'))
			return false;
	}
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
	if ((values[0] && !value_valid(values[0], strlen(values[0]))) ||
	    (values[2] && !value_valid(values[2], strlen(values[2]))))
		return SIG_ERR_FIELD_VALUE;
	if (fields->version && sig_version_compare(fields->version, strlen(fields->version),
						   "0.0.0", 5, &cmp) != SIG_OK)
		return SIG_ERR_VERSION;
	char *base;
	enum sig_error const err = sig_default_trusted_comment(path, source_date_epoch, &base);
	if (err != SIG_OK)
		return err;
	size_t size = sizeof(SIG_POLICY_MARKER) + 1 + strlen(base);
	for (size_t i = 0; i < 3; i++)
		size += values[i] ? strlen(names[i]) + strlen(values[i]) + 2 : 0;
	char *const comment = malloc(size);
	if (!comment) {
		free(base);
		return SIG_ERR_NOMEM;
	}
	/* The marker first: a default comment starts with "timestamp:", so none is this form. */
	size_t used = (size_t)snprintf(comment, size, "%s\t", SIG_POLICY_MARKER);
	for (size_t i = 0; i < 3; i++)
		if (values[i])
			used += (size_t)snprintf(comment + used, size - used, "%s:%s\t", names[i],
						 values[i]);
	snprintf(comment + used, size - used, "%s", base);
	free(base);
	*comment_out = comment;
	return SIG_OK;
}

/* The field "name:VALUE" at p followed by a tab: its value, and p moved past the tab. false
 * (p unchanged) when the field at p is another or is the last one. */
static bool field_take(const char **p, const char *name, const char **value_out, size_t *len_out)
{
	size_t const nlen = strlen(name);
	size_t const flen = strcspn(*p, "\t");
	if ((*p)[flen] != '\t' || flen <= nlen || memcmp(*p, name, nlen) != 0 || (*p)[nlen] != ':')
		return false;
	*value_out = *p + nlen + 1;
	*len_out = flen - nlen - 1;
	*p += flen + 1;
	return true;
}

static bool timestamp_valid(const char *v, size_t len)
{
	return len > 0 && len <= NUMBER_MAX_DIGITS && strspn(v, "0123456789") >= len &&
	       (len == 1 || v[0] != '0');
}

static bool release_take(const char *p, struct sig_release *r)
{
	const char *ts;
	size_t ts_len;
	int cmp;
	size_t const mlen = sizeof(SIG_POLICY_MARKER) - 1;
	if (strncmp(p, SIG_POLICY_MARKER "\t", mlen + 1) != 0)
		return false;
	p += mlen + 1;
	/* Optional, in this order: a repeated or misplaced field is never matched later. */
	if (field_take(&p, "product", &r->product, &r->product_len) &&
	    !value_valid(r->product, r->product_len))
		return false;
	if (field_take(&p, "version", &r->version, &r->version_len) &&
	    sig_version_compare(r->version, r->version_len, "0.0.0", 5, &cmp) != SIG_OK)
		return false;
	if (field_take(&p, "arch", &r->arch, &r->arch_len) && !value_valid(r->arch, r->arch_len))
		return false;
	if (!field_take(&p, "timestamp", &ts, &ts_len) || !timestamp_valid(ts, ts_len) ||
	    !field_take(&p, "file", &r->file, &r->file_len) || r->file_len == 0 ||
	    memchr(r->file, '/', r->file_len) || strcmp(p, "hashed") != 0)
		return false;
	r->timestamp = strtoll(ts, NULL, 10);
	return true;
}

bool sig_release_parse(const char *comment, struct sig_release *release_out)
{
	*release_out = (struct sig_release){0};
	if (release_take(comment, release_out))
		return true;
	*release_out = (struct sig_release){0};
	return false;
}

static bool value_equal(const char *want, const char *v, size_t len)
{
	return strlen(want) == len && memcmp(want, v, len) == 0;
}

enum sig_policy_error sig_policy_check(const struct sig_policy *policy,
				       const struct sig_release *release)
{
	int cmp = 0;
	if (!policy->product && !policy->arch && !policy->min_version && policy->max_age <= 0)
		return SIG_POLICY_OK;
	if (!release)
		return SIG_POLICY_NONE;
	if (policy->product && !release->product)
		return SIG_POLICY_NO_PRODUCT;
	if (policy->product &&
	    !value_equal(policy->product, release->product, release->product_len))
		return SIG_POLICY_PRODUCT;
	if (policy->arch && !release->arch)
		return SIG_POLICY_NO_ARCH;
	if (policy->arch && !value_equal(policy->arch, release->arch, release->arch_len))
		return SIG_POLICY_ARCH;
	if (policy->min_version && !release->version)
		return SIG_POLICY_NO_VERSION;
	if (policy->min_version &&
	    sig_version_compare(release->version, release->version_len, policy->min_version,
				strlen(policy->min_version), &cmp) != SIG_OK)
		return SIG_POLICY_BAD_MIN; /* the release's version was checked when parsed */
	if (cmp < 0)
		return SIG_POLICY_OLDER;
	/* Both are at most 18 digits of seconds: the differences cannot overflow. */
	if (policy->max_age > 0 && policy->now - release->timestamp > policy->max_age)
		return SIG_POLICY_EXPIRED;
	if (policy->max_age > 0 && release->timestamp - policy->now > SIG_POLICY_SKEW)
		return SIG_POLICY_FUTURE;
	return SIG_POLICY_OK;
}

const char *sig_policy_strerror(enum sig_policy_error err)
{
	switch (err) {
	case SIG_POLICY_OK:
		return "policy satisfied";
	case SIG_POLICY_NONE:
		return "the trusted comment carries no release policy";
	case SIG_POLICY_NO_PRODUCT:
		return "the release policy has no product";
	case SIG_POLICY_PRODUCT:
		return "the release is another product";
	case SIG_POLICY_NO_ARCH:
		return "the release policy has no arch";
	case SIG_POLICY_ARCH:
		return "the release is for another arch";
	case SIG_POLICY_NO_VERSION:
		return "the release policy has no version";
	case SIG_POLICY_OLDER:
		return "the release's version is older than the minimum";
	case SIG_POLICY_BAD_MIN:
		return "the minimum version is not a semantic version";
	case SIG_POLICY_EXPIRED:
		return "the signature's timestamp is older than the maximum age";
	case SIG_POLICY_FUTURE:
		return "the signature's timestamp is in the future";
	}
	return "unknown policy error";
}

bool sig_duration_parse(const char *text, long long *seconds_out)
{
	static const char units[] = "smhdw";
	static const long long unit_seconds[] = {1, 60, 3600, 86400, 604800};
	size_t const digits = strspn(text, "0123456789");
	const char *const unit = digits > 0 && text[digits] ? strchr(units, text[digits]) : NULL;
	*seconds_out = 0;
	/* 12 digits cannot overflow once multiplied by a week; the bound is checked after. */
	if (!unit || text[digits + 1] != '\0' || text[0] == '0' || digits > 12)
		return false;
	long long const n = strtoll(text, NULL, 10) * unit_seconds[unit - units];
	if (n > SIG_MAX_AGE_MAX)
		return false;
	*seconds_out = n;
	return true;
}
