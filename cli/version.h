#pragma once

#include <stdbool.h>

/* Print the version line (or the JSON object) to stdout; returns the exit status. */
int version_print(bool json);

/* Print the general `heart --help` text to stdout; returns the exit status. */
int help_print_main(void);
