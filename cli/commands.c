#include <string.h>

#include "cli.h"

/* Every command heart has: one line each, in the order `heart --help` lists them. */
extern const struct command cmd_play;
extern const struct command cmd_gif;
extern const struct command cmd_help;
extern const struct command cmd_icons;
extern const struct command cmd_keygen;
extern const struct command cmd_pack;
extern const struct command cmd_serve;
extern const struct command cmd_png;
extern const struct command cmd_sign;
extern const struct command cmd_svg;
extern const struct command cmd_verify;
extern const struct command cmd_version;

const struct command *const commands[] = {
	&cmd_play, &cmd_png,    &cmd_gif,  &cmd_svg,     &cmd_icons, &cmd_serve, &cmd_keygen,
	&cmd_sign, &cmd_verify, &cmd_pack, &cmd_version, &cmd_help,  NULL,
};

const struct command *const command_default = &cmd_play;

const struct command *command_find(const char *name)
{
	for (const struct command *const *c = commands; *c; c++)
		if (strcmp((*c)->name, name) == 0)
			return *c;
	return NULL;
}
