#include <stdio.h>

#include "args.h"
#include "cli.h"
#include "draw.h"
#include "fileio.h"
#include "svg/svg.h"

static int run(int argc, char **argv);

static bool check_title(const char *opt, const char *title)
{
	size_t at;
	enum svg_error const err = svg_title_check(title, &at);
	if (err == SVG_OK)
		return true;
	if (err == SVG_ERR_TITLE_EMPTY || err == SVG_ERR_TITLE_LONG)
		cli_error("%s: '%s' %s (expected 1 to %d bytes of UTF-8)", opt, quote(title).s,
			  svg_strerror(err), SVG_TITLE_MAX);
	else
		cli_error("%s: '%s' %s at byte %zu", opt, quote(title).s, svg_strerror(err), at);
	return false;
}

static bool check_id(const char *opt, const char *prefix)
{
	if (svg_id_check(prefix) == SVG_OK)
		return true;
	cli_error("%s: '%s' %s (expected %s)", opt, quote(prefix).s, svg_strerror(SVG_ERR_ID),
		  param_def(PD_ID)->rule.expected);
	return false;
}

enum { OPT_OUTPUT, OPT_SIZE, OPT_ANIMATE, OPT_TITLE, OPT_ID, OPT_DRAW };

struct svg_args {
	struct param_values draw; /* with --size, --animate, --title and --id */
	const char *output;
};

static const struct opt_spec opts[] = {
	[OPT_OUTPUT] = {.name = "output",
			.short_name = 'o',
			.kind = ARG_PATH,
			.value_name = "FILE",
			.offset = offsetof(struct svg_args, output),
			.help = "write to FILE (atomically) instead of standard output"},
	[OPT_SIZE] = {DRAW_PARAM_SIZE(struct svg_args),
		      .help = "width and height in pixels, 1 to 16384 (default 256)"},
	[OPT_ANIMATE] = {DRAW_PARAM_ANIMATE(struct svg_args),
			 .help = "beat like the terminal heart (CSS keyframes; stops under "
				 "prefers-reduced-motion)"},
	[OPT_TITLE] = {DRAW_PARAM_TITLE(struct svg_args), .check = check_title,
		       .help = "accessible name (role=img + <title>); without it the heart is "
			       "decorative (aria-hidden)"},
	[OPT_ID] = {DRAW_PARAM_ID(struct svg_args), .check = check_id,
		    .help = "prefix of the ids, for several hearts on one page (letter, then "
			    "letters, digits, _ or -; default heart)"},
	DRAW_OPTIONS(struct svg_args, OPT_DRAW),
};

const struct command cmd_svg = {
	.name = "svg",
	.summary = "write the heart as SVG for web pages, static or beating",
	.synopsis = "heart svg [-o FILE] [--size N|WxH] [--animate] [--title TEXT]\n"
		    "          [--id PREFIX] [drawing options]",
	.description = "Write the heart as an SVG document: the model's exact Bézier path, valid "
		       "XML,\naccessible, safe to embed in a web page.\n",
	.opts = opts,
	.n_opts = sizeof(opts) / sizeof(opts[0]),
	.epilog = "--fps, --bpm and --amplitude need --animate; --background defaults to\n"
		  "transparent.\n",
	.run = run,
};

static int write_svg(const struct svg_options *o, const char *path)
{
	struct fio_out_opts const out_opts = {.dash = true};
	struct fio_batch *batch = NULL;
	struct fio_out *out;
	struct base_buf buf;
	int status = EXIT_BAD;

	base_buf_init(&buf);
	enum svg_error const err = svg_write(o, &buf);
	if (err != SVG_OK) {
		cli_error("svg: %s", svg_strerror(err));
		goto done;
	}
	if (!fio_batch_create(&batch)) {
		cli_error("out of memory");
		goto done;
	}
	if (!fio_batch_output(batch, path, &out_opts, &out) ||
	    !fio_out_write(batch, out, buf.data, buf.len))
		status = cli_file_error(fio_batch_error(batch), NULL);
	else
		status = cli_commit(batch);
done:
	fio_batch_destroy(batch);
	base_buf_finish(&buf);
	return status;
}

static int run(int argc, char **argv)
{
	struct svg_options o;
	struct svg_args a = {.output = "-"};
	struct arg_result r;

	param_values_init(&a.draw);
	int status = arg_parse(&cmd_svg, argc, argv, &a, &r);
	if (status != CLI_CONTINUE)
		return status;
	draw_values_finish(&a.draw, &r, OPT_DRAW);
	draw_value_given(&a.draw, &r, OPT_SIZE, PD_SIZE);
	draw_value_given(&a.draw, &r, OPT_ANIMATE, PD_ANIMATE);
	draw_value_given(&a.draw, &r, OPT_TITLE, PD_TITLE);
	draw_value_given(&a.draw, &r, OPT_ID, PD_ID);
	status = draw_values_check(&cmd_svg, &a.draw, PARAM_OUT_SVG);
	if (status != CLI_CONTINUE)
		return status;
	param_seed_apply(&a.draw);
	param_svg_options(&a.draw, &o);
	return write_svg(&o, a.output);
}
