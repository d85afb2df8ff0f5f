#pragma once

/*
 * The terminal's colour capabilities from the system terminfo database, read through ncurses'
 * terminfo library (libtinfo). Kept apart from the rest of cli/ so that <term.h>'s many
 * macros reach no other file.
 */

#include <stdbool.h>

/*
 * Look `term` (a TERM value, not NULL) up. On success returns true with *colors_out the
 * entry's max_colors (-1 when the entry has none: a monochrome terminal) and *rgb_out true
 * when the entry declares 24-bit colour (the RGB or Tc capability). Returns false, with the
 * outputs untouched, when there is no such entry or no database. Prints nothing; keeps no
 * memory.
 */
bool terminfo_colors(const char *term, int *colors_out, bool *rgb_out);
