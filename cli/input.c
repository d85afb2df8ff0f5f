#include "input.h"

#include <string.h>

#include "base/text.h"

enum {
	GROUND,
	ESCAPE,     /* after ESC */
	CSI,        /* ESC [ ... */
	SS3,        /* ESC O: one more byte */
	OSC,        /* ESC ] ... BEL or ST */
	OSC_ESC,    /* ESC inside an OSC: the start of ST */
	STRING,     /* ESC P, ESC _, ESC ^, ESC X: skipped to ST */
	STRING_ESC, /* ESC inside a string */
};

#define ESC 0x1b
#define BEL 0x07
#define CAN 0x18
#define SUB 0x1a

void input_init(struct input *in)
{
	*in = (struct input){.state = GROUND};
}

static void keep(struct input *in, unsigned char c)
{
	if (in->len < sizeof(in->body))
		in->body[in->len] = (char)c;
	in->len++;
}

static enum input_kind emit(struct input *in, enum input_kind k, struct input_event *ev)
{
	in->state = GROUND;
	in->count = 0;
	ev->kind = k;
	return k;
}

/* One channel: 1 to 4 hex digits from *p up to `stop` (or the end), scaled to 0..255. */
static bool channel(const char **p, const char *end, char stop, unsigned char *out)
{
	unsigned long v = 0, max = 0;
	int n = 0;
	for (; *p < end && **p != stop; (*p)++, n++) {
		int const d = base_hex_digit(**p);
		if (d < 0 || n == 4)
			return false;
		v = v * 16 + (unsigned long)d;
		max = max * 16 + 15;
	}
	if (n == 0)
		return false;
	*out = (unsigned char)((v * 255 + max / 2) / max);
	return true;
}

bool input_parse_background(const char *body, size_t len, struct heart_rgb *out)
{
	const char *p = body, *const end = body + len;
	bool alpha = false;
	if (len > strlen("11;rgba:") && memcmp(p, "11;rgba:", strlen("11;rgba:")) == 0) {
		p += strlen("11;rgba:");
		alpha = true;
	} else if (len > strlen("11;rgb:") && memcmp(p, "11;rgb:", strlen("11;rgb:")) == 0) {
		p += strlen("11;rgb:");
	} else {
		return false;
	}
	unsigned char r, g, b, a;
	if (!channel(&p, end, '/', &r) || p++ == end || !channel(&p, end, '/', &g) || p++ == end ||
	    !channel(&p, end, '/', &b))
		return false;
	if (alpha && (p++ == end || !channel(&p, end, '/', &a)))
		return false;
	if (p != end)
		return false;
	*out = (struct heart_rgb){r, g, b};
	return true;
}

static enum input_kind osc_end(struct input *in, struct input_event *ev)
{
	if (in->len <= sizeof(in->body) && input_parse_background(in->body, in->len, &ev->rgb))
		return emit(in, INPUT_BACKGROUND, ev);
	return emit(in, INPUT_SEQUENCE, ev);
}

/* ESC: a new sequence begins at now. */
static enum input_kind begin(struct input *in, int64_t now)
{
	in->state = ESCAPE;
	in->len = in->count = 0;
	in->since = now;
	return INPUT_NONE;
}

static enum input_kind after_escape(struct input *in, unsigned char c, int64_t now,
				    struct input_event *ev)
{
	in->len = 0;
	switch (c) {
	case '[':
		in->state = CSI;
		return INPUT_NONE;
	case 'O':
		in->state = SS3;
		return INPUT_NONE;
	case ']':
		in->state = OSC;
		return INPUT_NONE;
	case 'P':
	case '_':
	case '^':
	case 'X':
		in->state = STRING;
		return INPUT_NONE;
	case ESC: /* Esc pressed, then another escape: the first was the key */
		begin(in, now);
		ev->kind = INPUT_ESCAPE;
		return INPUT_ESCAPE;
	default: /* Alt and a key */
		return emit(in, INPUT_SEQUENCE, ev);
	}
}

static enum input_kind csi(struct input *in, unsigned char c, struct input_event *ev)
{
	if (c >= 0x40 && c <= 0x7e) {
		bool const attributes = c == 'c' && in->len > 0 && in->body[0] == '?';
		return emit(in, attributes ? INPUT_ATTRIBUTES : INPUT_SEQUENCE, ev);
	}
	keep(in, c);
	return INPUT_NONE;
}

enum input_kind input_byte(struct input *in, unsigned char c, int64_t now, struct input_event *ev)
{
	ev->kind = INPUT_NONE;
	/* CAN and SUB cancel a sequence; ESC starts a new one, except inside strings. A sequence
	 * that reaches the bound is no reply heart asked for: dropped with this byte. */
	if (in->state != GROUND && (c == CAN || c == SUB || ++in->count > INPUT_SEQUENCE_MAX))
		return emit(in, INPUT_SEQUENCE, ev);
	switch (in->state) {
	case ESCAPE:
		return after_escape(in, c, now, ev);
	case CSI:
		if (c == ESC)
			break;
		return csi(in, c, ev);
	case SS3:
		return emit(in, INPUT_SEQUENCE, ev);
	case OSC:
		if (c == BEL)
			return osc_end(in, ev);
		if (c == ESC)
			in->state = OSC_ESC;
		else
			keep(in, c);
		return INPUT_NONE;
	case OSC_ESC:
		if (c == '\\')
			return osc_end(in, ev);
		keep(in, ESC);
		keep(in, c);
		in->state = OSC;
		return INPUT_NONE;
	case STRING:
		in->state = c == ESC ? STRING_ESC : STRING;
		return INPUT_NONE;
	case STRING_ESC:
		if (c == '\\')
			return emit(in, INPUT_SEQUENCE, ev);
		in->state = c == ESC ? STRING_ESC : STRING;
		return INPUT_NONE;
	default:
		break;
	}
	if (c == ESC)
		return begin(in, now);
	in->state = GROUND;
	ev->key = c;
	ev->kind = INPUT_KEY;
	return INPUT_KEY;
}

int64_t input_deadline(const struct input *in)
{
	return in->state == GROUND ? -1 : in->since + INPUT_TIMEOUT_NS;
}

enum input_kind input_expire(struct input *in, int64_t now, struct input_event *ev)
{
	if (in->state == GROUND || now < in->since + INPUT_TIMEOUT_NS) {
		ev->kind = INPUT_NONE;
		return INPUT_NONE;
	}
	return emit(in, in->state == ESCAPE ? INPUT_ESCAPE : INPUT_SEQUENCE, ev);
}
