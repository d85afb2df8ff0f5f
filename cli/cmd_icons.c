#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "base/buf.h"
#include "cli.h"
#include "draw.h"
#include "fileio.h"
#include "render/model.h"
#include "render/png.h"
#include "render/raster.h"
#include "stamp.h"
#include "svg/svg.h"

static int run(int argc, char **argv);

enum { OPT_OUTPUT, OPT_DARK_COLOR, OPT_DARK_BACKGROUND, OPT_DRAW };

struct icons_job {
	struct param_values draw; /* with --dark-color and --dark-background */
	const char *dir;
};

static const struct opt_spec opts[] = {
	[OPT_OUTPUT] =
		{.name = "output",
		 .short_name = 'o',
		 .kind = ARG_PATH,
		 .flags = ARG_REQUIRED,
		 .value_name = "DIR",
		 .offset = offsetof(struct icons_job, dir),
		 .help = "the directory to write the icons into (it must exist; files of the "
			 "same names are replaced)"},
	[OPT_DARK_COLOR] = {DRAW_PARAM_DARK_COLOR(struct icons_job),
			    .help = "favicon.svg's heart colour when the reader prefers a dark "
				    "colour scheme (default: --color 40 % of the way to white)"},
	[OPT_DARK_BACKGROUND] = {DRAW_PARAM_DARK_BACKGROUND(struct icons_job),
				 .help = "favicon.svg's background in dark mode, or 'transparent'"},
	DRAW_OPTIONS(struct icons_job, OPT_DRAW),
};

const struct command cmd_icons = {
	.name = "icons",
	.summary = "write a site's icons: favicon.ico, favicon.svg, touch and manifest icons",
	.synopsis = "heart icons -o DIR [--dark-color C] [--dark-background C]\n"
		    "            [drawing options]",
	.description =
		"Write into DIR, all together or none: favicon.ico (PNG images of 16, 32 and 48\n"
		"pixels, each drawn at its size), favicon.svg (follows prefers-color-scheme),\n"
		"apple-touch-icon.png (180 pixels, opaque: --background, else white),\n"
		"icon-192.png and icon-512.png (transparent unless --background). Prints the\n"
		"HTML to paste.\n",
	.opts = opts,
	.n_opts = sizeof(opts) / sizeof(opts[0]),
	.epilog = "Icons stand still: --fps, --bpm and --amplitude do not apply.\n",
	.run = run,
};

/* The files, in the order they are opened; the PNG sizes in pixels. */
enum { ICO_SIZES = 3, TOUCH_SIZE = 180 };
static const uint32_t ico_sizes[ICO_SIZES] = {16, 32, 48};
static const struct {
	const char *name;
	uint32_t size;
	bool opaque; /* iOS shows transparency as black */
} png_files[] = {
	{"apple-touch-icon.png", TOUCH_SIZE, true},
	{"icon-192.png", 192, false},
	{"icon-512.png", 512, false},
};
enum { N_PNG = sizeof(png_files) / sizeof(png_files[0]) };

static const char html[] =
	"<link rel=\"icon\" href=\"/favicon.ico\" sizes=\"48x48\">\n"
	"<link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\">\n"
	"<link rel=\"apple-touch-icon\" href=\"/apple-touch-icon.png\">\n"
	"<link rel=\"manifest\" href=\"/manifest.webmanifest\">\n"
	"<!-- manifest.webmanifest: \"icons\": [\n"
	"  {\"src\": \"/icon-192.png\", \"type\": \"image/png\", \"sizes\": \"192x192\"},\n"
	"  {\"src\": \"/icon-512.png\", \"type\": \"image/png\", \"sizes\": \"512x512\"}] -->\n";

struct icons {
	struct heart_pool *pool;
	struct heart_raster *raster;
	struct heart_png_options png;
	char software[64];
};

/* The heart at rest filling size × size, as `heart png --size N` draws it, into fp. */
static bool draw_png(struct icons *ic, const struct icons_job *job, uint32_t size,
		     const struct heart_png_options *o, FILE *fp, const char *path)
{
	struct heart_path hpath;
	heart_image_path(&job->draw.shape, size, size, 0, 0, &hpath);
	enum heart_png_status const st = heart_png_write(fp, ic->raster, &hpath, size, size, o);
	if (st == HEART_PNG_OK)
		return true;
	cli_error("icons: cannot write '%s': %s", quote(path).s, heart_png_strerror(st));
	return false;
}

static void put_le16(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v & 0xff);
	p[1] = (unsigned char)(v >> 8 & 0xff);
}

static void put_le32(unsigned char *p, uint32_t v)
{
	put_le16(p, v & 0xffff);
	put_le16(p + 2, v >> 16);
}

/*
 * favicon.ico into buf: the ICONDIR header (reserved 0, type 1, count), one 16-byte
 * ICONDIRENTRY per size (width, height, no palette, planes 1, 32 bits, the PNG's length and
 * offset), then the PNGs themselves (Windows Vista and every browser read PNG entries).
 */
static bool write_ico(struct icons *ic, const struct icons_job *job, const char *path,
		      struct base_buf *buf)
{
	char *png[ICO_SIZES] = {0};
	size_t len[ICO_SIZES] = {0};
	bool ok = true;

	for (int i = 0; ok && i < ICO_SIZES; i++) {
		FILE *const fp = open_memstream(&png[i], &len[i]);
		if (!fp) {
			cli_error("out of memory");
			ok = false;
			break;
		}
		ok = draw_png(ic, job, ico_sizes[i], &ic->png, fp, path);
		if (fclose(fp) != 0 && ok) {
			cli_error("out of memory");
			ok = false;
		}
	}
	unsigned char head[6 + 16 * ICO_SIZES] = {0};
	put_le16(head + 2, 1);
	put_le16(head + 4, ICO_SIZES);
	size_t offset = sizeof(head);
	for (int i = 0; ok && i < ICO_SIZES; i++) {
		unsigned char *const e = head + 6 + 16 * i;
		e[0] = (unsigned char)ico_sizes[i]; /* 0 would mean 256 */
		e[1] = (unsigned char)ico_sizes[i];
		put_le16(e + 4, 1);
		put_le16(e + 6, 32);
		put_le32(e + 8, (uint32_t)len[i]);
		put_le32(e + 12, (uint32_t)offset);
		offset += len[i];
	}
	if (ok) {
		ok = base_buf_append(buf, (const char *)head, sizeof(head));
		for (int i = 0; ok && i < ICO_SIZES; i++)
			ok = base_buf_append(buf, png[i], len[i]);
		if (!ok)
			cli_error("out of memory");
	}
	for (int i = 0; i < ICO_SIZES; i++)
		free(png[i]);
	return ok;
}

/* The dark colour a reader expects without --dark-color: the heart lighter on a dark page,
 * each sRGB channel 40 % of the way to white (red ff0000 becomes ff6666). */
static struct heart_rgb dark_tint(struct heart_rgb c)
{
	struct heart_rgb const t = {
		.r = (uint8_t)(c.r + (255 - c.r) * 2 / 5),
		.g = (uint8_t)(c.g + (255 - c.g) * 2 / 5),
		.b = (uint8_t)(c.b + (255 - c.b) * 2 / 5),
	};
	return t;
}

static bool write_svg(const struct icons_job *job, struct base_buf *buf)
{
	struct svg_options o;
	param_svg_options(&job->draw, &o);
	if (!o.has_dark_color) {
		o.has_dark_color = true;
		o.dark_color = dark_tint(o.color);
	}
	enum svg_error const err = svg_write(&o, buf);
	if (err == SVG_OK)
		return true;
	cli_error("icons: %s", svg_strerror(err));
	return false;
}

/* DIR/name into out (size bytes); false (reported) when it does not fit. */
static bool join(const char *dir, const char *name, char *out, size_t size)
{
	size_t const n = strlen(dir);
	bool const slash = n > 0 && dir[n - 1] == '/';
	int const w = snprintf(out, size, "%s%s%s", dir, slash ? "" : "/", name);
	if (w >= 0 && (size_t)w < size)
		return true;
	cli_error("icons: -o '%s': the directory's name is too long", quote(dir).s);
	return false;
}

static struct fio_out *open_output(struct fio_batch *batch, const char *path)
{
	struct fio_out_opts const out_opts = {0};
	struct fio_out *out;
	if (fio_batch_output(batch, path, &out_opts, &out))
		return out;
	cli_file_error(fio_batch_error(batch), NULL);
	return NULL;
}

/* Every file is opened first (so that a refusal comes before any work), then written and
 * sealed; they appear together at the commit, or none does. */
static bool write_all(struct icons *ic, const struct icons_job *job, struct fio_batch *batch)
{
	char path[2 + N_PNG][4096];
	struct fio_out *out[2 + N_PNG] = {0};
	struct base_buf ico, svg;
	bool ok = join(job->dir, "favicon.ico", path[0], sizeof(path[0])) &&
		  join(job->dir, "favicon.svg", path[1], sizeof(path[1]));
	for (int i = 0; ok && i < N_PNG; i++)
		ok = join(job->dir, png_files[i].name, path[2 + i], sizeof(path[2 + i]));
	for (int i = 0; ok && i < 2 + N_PNG; i++)
		ok = (out[i] = open_output(batch, path[i])) != NULL;

	base_buf_init(&ico);
	base_buf_init(&svg);
	ok = ok && write_ico(ic, job, path[0], &ico) && write_svg(job, &svg);
	if (ok && (!fio_out_write(batch, out[0], ico.data, ico.len) ||
		   !fio_out_write(batch, out[1], svg.data, svg.len))) {
		cli_file_error(fio_batch_error(batch), NULL);
		ok = false;
	}
	for (int i = 0; ok && i < N_PNG; i++) {
		struct heart_png_options o = ic->png;
		if (png_files[i].opaque && o.transparent)
			o = (struct heart_png_options){.color = o.color,
						       .background = {0xff, 0xff, 0xff},
						       .software = o.software};
		FILE *const fp = fio_out_stream(out[2 + i]);
		if (!fp) {
			cli_error("out of memory");
			ok = false;
			break;
		}
		ok = draw_png(ic, job, png_files[i].size, &o, fp, path[2 + i]);
		if (ok && !fio_out_seal(batch, out[2 + i])) {
			cli_file_error(fio_batch_error(batch), NULL);
			ok = false;
		}
	}
	base_buf_finish(&svg);
	base_buf_finish(&ico);
	return ok && cli_commit(batch) == EXIT_OK;
}

static int parse_args(int argc, char **argv, struct icons_job *job)
{
	struct arg_result r;

	*job = (struct icons_job){0};
	param_values_init(&job->draw);
	int status = arg_parse(&cmd_icons, argc, argv, job, &r);
	if (status != CLI_CONTINUE)
		return status;
	draw_values_finish(&job->draw, &r, OPT_DRAW);
	draw_value_given(&job->draw, &r, OPT_DARK_COLOR, PD_DARK_COLOR);
	draw_value_given(&job->draw, &r, OPT_DARK_BACKGROUND, PD_DARK_BACKGROUND);
	status = draw_values_check(&cmd_icons, &job->draw, PARAM_OUT_ICONS);
	if (status != CLI_CONTINUE)
		return status;
	param_seed_apply(&job->draw);
	return CLI_CONTINUE;
}

static int run(int argc, char **argv)
{
	struct icons_job job;
	struct icons ic = {0};
	struct fio_batch *batch = NULL;
	double amplitude;
	int status = parse_args(argc, argv, &job);
	if (status != CLI_CONTINUE)
		return status;

	snprintf(ic.software, sizeof(ic.software), "heart %s", heart_stamp.version);
	param_png_options(&job.draw, ic.software, &ic.png, &amplitude);
	ic.pool = heart_pool_create();
	ic.raster = ic.pool ? heart_raster_create(ic.pool) : NULL;
	if (!ic.raster || !fio_batch_create(&batch)) {
		cli_error("out of memory");
		status = EXIT_BAD;
		goto out;
	}
	status = write_all(&ic, &job, batch) ? EXIT_OK : EXIT_BAD;
	if (status == EXIT_OK && fputs(html, stdout) == EOF)
		status = EXIT_BAD;
out:
	fio_batch_destroy(batch);
	heart_raster_destroy(ic.raster);
	heart_pool_destroy(ic.pool);
	return status;
}
