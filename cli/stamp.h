#pragma once

#include <stdbool.h>

/* What this binary was built from; defined in the generated stamp.c. */
struct heart_stamp {
	const char *version;  /* meson project() version, e.g. "0.1.0" */
	const char *commit;   /* full git hash, or "unknown" outside git */
	bool dirty;           /* the tree had uncommitted changes to tracked files */
	const char *built;    /* build time, ISO 8601 UTC: "2026-11-22T10:00:00Z" */
	long long built_unix; /* the same, seconds since the epoch */
};

extern const struct heart_stamp heart_stamp;
