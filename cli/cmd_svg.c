#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "cli.h"
#include "draw.h"
#include "output.h"
#include "svg.h"

static int run(int argc, char **argv);

const struct command cmd_svg = {
	.name = "svg",
	.summary = "write the heart as SVG for web pages, static or beating",
	.usage = "Usage: heart svg [-o FILE] [--size N | --size WxH] [--animate] [--title TEXT]\n"
		 "                 [--id PREFIX] [drawing options]\n"
		 "Write the heart as an SVG document: the model's exact Bézier path, valid XML,\n"
		 "accessible, safe to embed in a web page.\n\n"
		 "  -o FILE            write to FILE (atomically) instead of standard output\n"
		 "  --size N | WxH     width and height in pixels, 1 to 16384 (default 256)\n"
		 "  --animate          beat like the terminal heart (CSS keyframes; stops under\n"
		 "                     prefers-reduced-motion)\n"
		 "  --title TEXT       accessible name (role=img + <title>); without it the\n"
		 "                     heart is decorative (aria-hidden)\n"
		 "  --id PREFIX        prefix of the ids, for several hearts on one page\n"
		 "                     (letter, then letters, digits, _ or -; default heart)\n" DRAW_USAGE
		 "--fps, --bpm and --amplitude need --animate; --background defaults to\n"
		 "transparent.\n",
	.run = run,
};

enum {
	OPT_OUTPUT = DRAW_OPT_COUNT,
	OPT_SIZE,
	OPT_ANIMATE,
	OPT_TITLE,
	OPT_ID,
};

static const struct arg_opt opts[] = {
	DRAW_ARG_OPTS,
	{"output", 'o', true},
	{"size", 0, true},
	{"animate", 0, false},
	{"title", 0, true},
	{"id", 0, true},
};

static bool check_title(const char *title)
{
	size_t at;
	enum svg_error const err = svg_title_check(title, &at);
	if (err == SVG_OK)
		return true;
	if (err == SVG_ERR_TITLE_EMPTY || err == SVG_ERR_TITLE_LONG)
		cli_error("--title: '%s' %s (expected 1 to %d bytes of UTF-8)", quote(title).s,
			  svg_strerror(err), SVG_TITLE_MAX);
	else
		cli_error("--title: '%s' %s at byte %zu", quote(title).s, svg_strerror(err), at);
	return false;
}

static bool check_id(const char *prefix)
{
	if (svg_id_check(prefix) == SVG_OK)
		return true;
	cli_error("--id: '%s' %s (expected a letter, then letters, digits, '_' or '-', at most "
		  "%d bytes)",
		  quote(prefix).s, svg_strerror(SVG_ERR_ID), SVG_ID_MAX);
	return false;
}

/* Apply one option; false when it was refused (already reported). */
static bool apply(struct svg_options *o, struct draw_opts *d, const char **path, int id,
		  const char *value)
{
	switch (id) {
	case OPT_OUTPUT:
		*path = value;
		return true;
	case OPT_SIZE:
		return arg_size("--size", value, SVG_SIZE_MAX, &o->width, &o->height);
	case OPT_ANIMATE:
		o->animate = true;
		return true;
	case OPT_TITLE:
		o->title = value;
		return check_title(value);
	case OPT_ID:
		o->id_prefix = value;
		return check_id(value);
	default:
		return draw_opts_apply(d, id, value);
	}
}

static int write_svg(const struct svg_options *o, const char *path)
{
	struct svg_buf buf;
	struct out_file out;
	int status = EXIT_BAD;

	svg_buf_init(&buf);
	enum svg_error const err = svg_write(o, &buf);
	if (err != SVG_OK) {
		cli_error("svg: %s", svg_strerror(err));
		goto done;
	}
	if (!out_open(&out, path, 0666))
		goto done;
	if (fwrite(buf.data, 1, buf.len, out.fp) != buf.len) {
		cli_error("cannot write '%s': %s", quote(path).s, strerror(errno));
		out_abort(&out);
		goto done;
	}
	if (out_commit(&out))
		status = EXIT_OK;
done:
	svg_buf_finish(&buf);
	return status;
}

static int run(int argc, char **argv)
{
	struct svg_options o;
	struct draw_opts d;
	struct arg_parser p;
	const char *value;
	const char *path = "-";
	int id;

	svg_options_default(&o);
	draw_opts_init(&d);
	arg_init(&p, &cmd_svg, argc, argv, opts, sizeof(opts) / sizeof(opts[0]));
	while ((id = arg_next(&p, &value)) != ARG_DONE) {
		if (id == ARG_STOP)
			return p.status;
		if (id == ARG_OPERAND)
			return cli_usage_error("svg: unexpected argument '%s'", quote(value).s);
		if (!apply(&o, &d, &path, id, value))
			return EXIT_BAD;
	}
	if (!draw_opts_finish(&d, &p))
		return EXIT_BAD;
	if (d.hz_given && !o.animate)
		return cli_usage_error("svg: --fps and --bpm set the beat of --animate; add "
				       "--animate");
	if ((p.seen & 1ULL << DRAW_OPT_AMPLITUDE) && !o.animate)
		return cli_usage_error("svg: --amplitude sets how much the heart grows as it beats; "
				       "a static heart does not beat (add --animate)");

	o.shape = d.shape;
	o.color = d.color;
	o.background = !d.transparent;
	o.background_color = d.background;
	o.hz = d.hz;
	o.amplitude = d.amplitude;
	return write_svg(&o, path);
}
