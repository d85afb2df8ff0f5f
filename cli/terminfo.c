#include "terminfo.h"

#include <stdlib.h>

#include <term.h>

bool terminfo_colors(const char *term, int *colors_out, bool *rgb_out)
{
	int err = 0;
	/* With an error return, setupterm() reports nothing and never exits. No descriptor: only
	 * the capabilities are wanted, not the terminal's size and modes (heart reads those). */
	if (setupterm(term, -1, &err) != 0) /* OK, from <curses.h> */
		return false;
	int const colors = tigetnum("colors");
	/* RGB is ncurses' name for direct colour, Tc the one tmux and others use; tigetflag()
	 * returns -1 for a name it does not know. */
	bool const rgb = tigetflag("RGB") > 0 || tigetflag("Tc") > 0;
	del_curterm(cur_term);
	*colors_out = colors >= 0 ? colors : -1;
	*rgb_out = rgb;
	return true;
}
