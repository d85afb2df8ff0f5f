/*
 * What a terminal sends heart while it plays (cli/input.c): keys and replies, decoded one byte
 * at a time. The first input byte sets how far the clock moves between bytes (ms); the rest
 * is fed. Properties: a key event is the byte fed; an unfinished sequence always has a
 * deadline and a finished one none; whatever came before, `q` is a key again within
 * INPUT_SEQUENCE_MAX + 2 bytes (the length bound) and at once after the deadline (the time
 * bound); a background reply is only what input_parse_background() accepts.
 */
#include <string.h>

#include "fuzz.h"
#include "input.h"

/* Feed q at `now` until it comes out as the key q; returns how many it took. */
static size_t until_q(struct input *in, int64_t now)
{
	struct input_event ev;
	for (size_t n = 1; n <= INPUT_SEQUENCE_MAX + 2; n++)
		if (input_byte(in, 'q', now, &ev) == INPUT_KEY && ev.key == 'q')
			return n;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	int64_t const step = (int64_t)data[0] * 1000000;
	int64_t now = 0;
	struct input in;
	struct input_event ev;
	input_init(&in);
	for (size_t i = 1; i < size; i++, now += step) {
		enum input_kind const k = input_byte(&in, data[i], now, &ev);
		fuzz_require(k == ev.kind, "returned kind differs from the event's");
		if (k == INPUT_KEY)
			fuzz_require(ev.key == data[i] && data[i] != 0x1b,
				     "a key that was not typed");
		if (k == INPUT_BACKGROUND) {
			struct heart_rgb rgb;
			fuzz_require(input_parse_background(in.body, in.len, &rgb) &&
					     memcmp(&rgb, &ev.rgb, sizeof(rgb)) == 0,
				     "a background the parser does not give");
		}
		int64_t const deadline = input_deadline(&in);
		fuzz_require(deadline == -1 || deadline == in.since + INPUT_TIMEOUT_NS,
			     "a deadline not tied to the sequence's ESC");
		fuzz_require(in.count <= INPUT_SEQUENCE_MAX, "a sequence past its bound");
		if (deadline >= 0 && deadline > now) {
			struct input copy = in;
			fuzz_require(input_expire(&copy, deadline - 1, &ev) == INPUT_NONE,
				     "expired before its deadline");
		}
	}
	struct input by_length = in, by_time = in;
	fuzz_require(until_q(&by_length, now) > 0, "q swallowed past the length bound");
	int64_t const deadline = input_deadline(&by_time);
	if (deadline >= 0) {
		enum input_kind const k = input_expire(&by_time, deadline, &ev);
		fuzz_require(k == INPUT_ESCAPE || k == INPUT_SEQUENCE, "nothing expired");
		fuzz_require(input_deadline(&by_time) == -1, "still unfinished after expiring");
	}
	fuzz_require(until_q(&by_time, deadline + 1) == 1, "q swallowed past the deadline");
	return 0;
}
