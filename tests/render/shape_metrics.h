#pragma once

/*
 * What makes a heart a heart, measured on its rendered coverage (tests/render/): two rounded
 * lobes with a cleft between them, an underside that bulges outward from each lobe down to
 * a pointed tip. Lengths are fractions of the heart's rendered height or width.
 */

#include "render/model.h"

struct shape_metrics {
	double cleft;     /* depth of the cleft below the lobes' highest points / height */
	double flat;      /* width of a lobe's top within 2 % of the heart's width below its
			     highest point / half the width: 0.4 for a circle a quarter of the
			     width across, more for flat-topped, boxy lobes, 1 for no cleft */
	double roundness; /* how far a lobe's outer quarter (from its highest point to the
			     heart's widest point) bulges beyond its chord / the chord: 0.207
			     for a quarter circle, 0 for a straight line, 0.5 for a square corner */
	double tip;       /* width 5 % of the height above the tip / width */
	double bulge_min; /* the underside (widest point to tip) against the chord between */
	double bulge_max; /* them: least and most distance outside it / width; < 0 concave */
	double dent;      /* how far the underside lies inside its own convex hull / width: 0
			     when it bulges outward all the way, > 0 where it turns inward */
};

/* Render shape s at size × size pixels and measure it. */
void shape_measure(const struct heart_shape *s, unsigned size, struct shape_metrics *out);

/* Whether m measures a heart: what every shape in the parameter box must measure at 400 px
 * (the extremes of the box's 81 corners and midpoints lie well inside these). */
bool shape_metrics_is_heart(const struct shape_metrics *m);
