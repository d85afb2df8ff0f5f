#include <math.h>

#include "render/model.h"

/* sin² bump over [start, start + width]: zero with zero slope at both ends, 1 in the middle. */
static double bump(double x, double start, double width)
{
	double const u = (x - start) / width;
	if (u <= 0 || u >= 1)
		return 0;
	double const s = sin(M_PI * u);
	return s * s;
}

double heart_beat_pulse(double phase)
{
	double const p = phase - floor(phase);
	/* A strong "lub", a weaker "dub" a fifth of a beat later, then rest until the next beat:
	 * both bumps lie strictly inside [0, 1), so the pulse is smooth across beats. */
	return bump(p, 0.0, 0.16) + 0.55 * bump(p, 0.2, 0.16);
}

double heart_beat_scale(double hz, double amplitude, double seconds)
{
	return 1 + amplitude * heart_beat_pulse(seconds * hz);
}
