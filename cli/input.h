#pragma once

/*
 * What a terminal sends heart while it plays: keys, and the replies to heart's questions (the
 * background colour, OSC 11; the device attributes, DA1). A decoder fed one byte at a time;
 * no I/O, no allocation.
 *
 * Escape sequences (CSI, SS3, OSC, DCS and the other strings) are recognised whole, so an
 * arrow key is never taken for the Esc key: a lone ESC is the Esc key only when nothing
 * completes it within INPUT_TIMEOUT_NS (see input_expire()).
 *
 * A sequence is bounded in length and in time, so that a reply that never ends (its
 * terminator lost, or a stream of bytes without one) cannot swallow the keys typed after it:
 * one longer than INPUT_SEQUENCE_MAX bytes is dropped where it reaches the bound, one still
 * unfinished INPUT_TIMEOUT_NS after its ESC is dropped by input_expire(); the bytes after
 * either are decoded afresh.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "render/model.h"

/* The longest sequence (bytes after its ESC, terminator included): a longer one is dropped. */
#define INPUT_SEQUENCE_MAX 256
/* How long a sequence may stay unfinished after its ESC (ns): then a lone ESC is the Esc key
 * and anything longer is dropped. */
#define INPUT_TIMEOUT_NS 100000000

enum input_kind {
	INPUT_NONE,       /* nothing complete yet */
	INPUT_KEY,        /* a key that sends one byte: .key (printable ASCII or a control) */
	INPUT_ESCAPE,     /* the Esc key */
	INPUT_BACKGROUND, /* a reply to OSC 11 ? (the background colour): .rgb */
	INPUT_ATTRIBUTES, /* a reply to primary device attributes (CSI ? ... c) */
	INPUT_SEQUENCE,   /* any other sequence: arrows, function keys, other replies */
};

struct input_event {
	enum input_kind kind;
	unsigned char key;    /* INPUT_KEY */
	struct heart_rgb rgb; /* INPUT_BACKGROUND */
};

/* The decoder's state; caller-provided storage, set up by input_init(). */
struct input {
	int state;
	size_t len;    /* bytes of the OSC or CSI body so far (up to 64 kept in body) */
	size_t count;  /* bytes of the sequence after its ESC so far */
	int64_t since; /* when its ESC came (the caller's clock, ns) */
	char body[64]; /* an OSC or CSI body so far (longer ones are not replies heart asked) */
};

void input_init(struct input *in);

/* Feed byte c, which came at `now` (any monotonic clock, ns); returns what it completes
 * (INPUT_NONE while a sequence is incomplete; INPUT_SEQUENCE for one dropped at
 * INPUT_SEQUENCE_MAX bytes) and fills *ev. */
enum input_kind input_byte(struct input *in, unsigned char c, int64_t now, struct input_event *ev);

/* When the unfinished sequence expires (its ESC's time + INPUT_TIMEOUT_NS), or -1 when none
 * is unfinished: call input_expire() then if nothing has come. */
int64_t input_deadline(const struct input *in);

/* At `now`, nothing more has come: a sequence unfinished since its deadline is over, a lone
 * ESC as the Esc key (INPUT_ESCAPE), anything else dropped (INPUT_SEQUENCE). INPUT_NONE
 * otherwise. */
enum input_kind input_expire(struct input *in, int64_t now, struct input_event *ev);

/*
 * The colour in an OSC 11 reply body ("11;rgb:RRRR/GGGG/BBBB", each channel 1 to 4 hex
 * digits scaled to 0..255; "rgba:" with a fourth channel too), into *out. Returns false, *out
 * untouched, for anything else.
 */
bool input_parse_background(const char *body, size_t len, struct heart_rgb *out);
