#pragma once

/*
 * What a terminal sends heart while it plays: keys, and the replies to heart's questions (the
 * background colour, OSC 11; the device attributes, DA1). A decoder fed one byte at a time;
 * no I/O, no allocation.
 *
 * Escape sequences (CSI, SS3, OSC, DCS and the other strings) are recognised whole, so an
 * arrow key is never taken for the Esc key: a lone ESC is the Esc key only when no byte
 * follows it for a while (the caller's timeout, see input_escape_pending()).
 */

#include <stdbool.h>
#include <stddef.h>

#include "render/model.h"

/* The longest sequence kept (bytes after its ESC): a longer one is dropped. */
#define INPUT_SEQUENCE_MAX 256

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
	size_t len;    /* bytes of the sequence kept in body */
	char body[64]; /* an OSC or CSI body so far (longer ones are not replies heart asked) */
};

void input_init(struct input *in);

/* Feed byte c; returns what it completes (INPUT_NONE while a sequence is incomplete), and
 * fills *ev. */
enum input_kind input_byte(struct input *in, unsigned char c, struct input_event *ev);

/* Whether an ESC is waiting for what follows it: when nothing comes within the caller's
 * escape timeout, input_idle() tells it was the Esc key. */
bool input_escape_pending(const struct input *in);

/* Nothing more came: a pending ESC was the Esc key (INPUT_ESCAPE); otherwise INPUT_NONE. */
enum input_kind input_idle(struct input *in, struct input_event *ev);

/*
 * The colour in an OSC 11 reply body ("11;rgb:RRRR/GGGG/BBBB", each channel 1 to 4 hex
 * digits scaled to 0..255; "rgba:" with a fourth channel too), into *out. Returns false, *out
 * untouched, for anything else.
 */
bool input_parse_background(const char *body, size_t len, struct heart_rgb *out);
