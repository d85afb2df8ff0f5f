#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "cli.h"
#include "draw.h"
#include "fileio.h"
#include "render/model.h"
#include "render/png.h"
#include "render/raster.h"
#include "stamp.h"

#define MAX_FRAMES 1000

static int run(int argc, char **argv);

enum { OPT_OUTPUT, OPT_SIZE, OPT_PHASE, OPT_FRAMES, OPT_ANIMATE, OPT_DRAW };
enum { EXCLUSIVE_FRAMES = DRAW_EXCLUSIVE_COUNT + 1 };

struct png_job {
	/* With --size, --phase and --animate; --frames marks the phase given (each frame has
	 * one). */
	struct param_values draw;
	const char *output;
	long frames; /* 0: one image */
};

_Static_assert(SVG_SIZE_MAX == HEART_RASTER_MAX, "heart png --size has the table's range");

static const struct opt_spec opts[] = {
	[OPT_OUTPUT] = {.name = "output",
			.short_name = 'o',
			.kind = ARG_PATH,
			.value_name = "FILE",
			.offset = offsetof(struct png_job, output),
			.help = "where to write (default: standard output, never a terminal)"},
	/* The table's largest side is SVG_SIZE_MAX, the rasterizer's too (checked below). */
	[OPT_SIZE] = {DRAW_PARAM_SIZE(struct png_job),
		      .help = "image size in pixels, 1 to 16384 (default 256)"},
	[OPT_PHASE] = {DRAW_PARAM_PHASE(struct png_job), .exclusive = EXCLUSIVE_FRAMES,
		       .help = "the heart at this point of its beat, 0 to 1 (default 0, at rest)"},
	[OPT_FRAMES] = {.name = "frames",
			.kind = ARG_LONG,
			.value_name = "N",
			.offset = offsetof(struct png_job, frames),
			.min = 1,
			.max = MAX_FRAMES,
			.exclusive = EXCLUSIVE_FRAMES,
			.help = "a whole beat as N frames, 1 to 1000; -o names them with one "
				"integer conversion, e.g. 'heart-%03d.png' (frames from 0)"},
	[OPT_ANIMATE] = {DRAW_PARAM_ANIMATE(struct png_job), .exclusive = EXCLUSIVE_FRAMES,
			 .help = "the whole beat as one animated PNG (APNG) that loops forever; "
				 "viewers without APNG show the heart at rest"},
	DRAW_OPTIONS(struct png_job, OPT_DRAW),
};

const struct command cmd_png = {
	.name = "png",
	.summary = "write the heart as an anti-aliased PNG",
	.synopsis = "heart png [-o FILE] [--size N|WxH] [--phase P] [OPTIONS]\n"
		    "heart png --frames N -o PATTERN [OPTIONS]\n"
		    "heart png --animate [-o FILE] [--fps HZ|--bpm N] [OPTIONS]",
	.description = "Write the heart as an anti-aliased, indexed PNG (transparent background "
		       "unless\n--background says otherwise).\n",
	.opts = opts,
	.n_opts = sizeof(opts) / sizeof(opts[0]),
	.epilog = "A frame of the beat (--phase, --frames) or the beat (--animate) keeps room\n"
		  "for the beat's peak, so frames line up; without them the heart at rest\n"
		  "fills the image and --amplitude is refused. --fps and --bpm need --animate:\n"
		  "one loop of the APNG lasts exactly one beat.\n",
	.run = run,
};

/* An output pattern split around its one integer conversion: %d, %i or %u, optionally
 * zero-padded to a width ("%03d"). "%%" stands for a percent sign. */
struct pattern {
	char prefix[256], suffix[256];
	bool zero;
	int width;
};

static bool copy_literal(const char *s, size_t len, char *out, size_t size)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '%')
			i++; /* "%%": validated by the caller */
		if (n + 1 >= size)
			return false;
		out[n++] = s[i];
	}
	out[n] = '\0';
	return true;
}

static bool parse_pattern(const char *s, struct pattern *out)
{
	const char *conv = NULL, *conv_end = NULL;
	for (const char *p = s; *p; p++) {
		if (*p != '%')
			continue;
		if (p[1] == '%') {
			p++;
			continue;
		}
		if (conv)
			return false; /* a second conversion */
		conv = p++;
		out->zero = *p == '0';
		p += out->zero;
		out->width = 0;
		while (*p >= '1' && *p <= '9' && out->width < 10)
			out->width = out->width * 10 + (*p++ - '0');
		if (*p >= '0' && *p <= '9')
			return false; /* width over 99 */
		if (*p != 'd' && *p != 'i' && *p != 'u')
			return false;
		conv_end = p + 1;
	}
	return conv && copy_literal(s, (size_t)(conv - s), out->prefix, sizeof(out->prefix)) &&
	       copy_literal(conv_end, strlen(conv_end), out->suffix, sizeof(out->suffix));
}

static void frame_name(const struct pattern *p, long k, char *out, size_t size)
{
	char number[32];
	snprintf(number, sizeof(number), p->zero ? "%0*ld" : "%*ld", p->width, k);
	snprintf(out, size, "%s%s%s", p->prefix, number, p->suffix);
}

static int parse_args(int argc, char **argv, struct png_job *job)
{
	struct arg_result r;

	*job = (struct png_job){.output = "-"};
	param_values_init(&job->draw);
	int status = arg_parse(&cmd_png, argc, argv, job, &r);
	if (status != CLI_CONTINUE)
		return status;
	draw_values_finish(&job->draw, &r, OPT_DRAW);
	draw_value_given(&job->draw, &r, OPT_SIZE, PD_SIZE);
	draw_value_given(&job->draw, &r, OPT_PHASE, PD_PHASE);
	draw_value_given(&job->draw, &r, OPT_FRAMES, PD_PHASE);
	draw_value_given(&job->draw, &r, OPT_ANIMATE, PD_ANIMATE);
	status = draw_values_check(&cmd_png, &job->draw, PARAM_OUT_PNG);
	if (status != CLI_CONTINUE)
		return status;
	param_seed_apply(&job->draw); /* its shape and colour; a PNG keeps --phase's phase */
	if (job->frames && !arg_given(&r, OPT_OUTPUT))
		return cli_usage_error(&cmd_png, "--frames needs -o PATTERN");
	return CLI_CONTINUE;
}

struct renderer {
	struct heart_pool *pool;
	struct heart_raster *raster;
	struct heart_png_options png;
	double amplitude; /* to lay the heart out with (param_png_options()) */
	char software[64];
};

/* Render the heart at `phase` of its beat, or its whole beat (--animate), into out (named
 * path). */
static bool render_to(struct renderer *rd, const struct png_job *job, double phase,
		      struct fio_out *out, const char *path)
{
	struct heart_path hpath;
	FILE *const fp = fio_out_stream(out);

	if (!fp) {
		cli_error("out of memory");
		return false;
	}
	uint32_t const width = job->draw.size.width, height = job->draw.size.height;
	enum heart_png_status st;
	if (job->draw.animate) {
		st = heart_apng_write(fp, rd->raster, &job->draw.shape, width, height,
				      param_values_hz(&job->draw), rd->amplitude, &rd->png);
	} else {
		heart_image_path(&job->draw.shape, width, height, rd->amplitude, phase, &hpath);
		st = heart_png_write(fp, rd->raster, &hpath, width, height, &rd->png);
	}
	return st == HEART_PNG_OK ||
	       cli_image_failed(out, path, st == HEART_PNG_WRITE, "png", heart_png_strerror(st));
}

/* Open path as an output of batch; binary data never goes to a terminal. */
static struct fio_out *open_output(struct fio_batch *batch, const char *path)
{
	return cli_image_output(batch, path, "png", "PNG");
}

static bool write_one(struct renderer *rd, const struct png_job *job, struct fio_batch *batch)
{
	struct fio_out *const out = open_output(batch, job->output);
	return out && render_to(rd, job, job->draw.phase, out, job->output) &&
	       cli_commit(batch) == EXIT_OK;
}

/* Every frame is opened first (so that any refusal comes before any work), rendered into its
 * temporary file and sealed; they appear together at the commit, or none does. */
static bool write_frames(struct renderer *rd, const struct png_job *job, struct fio_batch *batch)
{
	struct pattern pat;
	char name[600];

	if (!parse_pattern(job->output, &pat)) {
		cli_error("png: -o '%s' needs exactly one integer conversion such as %%03d "
			  "(and %%%% for a percent sign)",
			  quote(job->output).s);
		return false;
	}
	struct fio_out **outs = calloc((size_t)job->frames, sizeof(*outs));
	bool ok = outs != NULL;
	if (!ok)
		cli_error("out of memory");
	for (long k = 0; ok && k < job->frames; k++) {
		frame_name(&pat, k, name, sizeof(name));
		ok = (outs[k] = open_output(batch, name)) != NULL;
	}
	for (long k = 0; ok && k < job->frames; k++) {
		frame_name(&pat, k, name, sizeof(name));
		ok = render_to(rd, job, (double)k / job->frames, outs[k], name);
		/* Sealed at once: a thousand frames do not keep a thousand stream buffers. */
		if (ok && !fio_out_seal(batch, outs[k])) {
			cli_file_error(fio_batch_error(batch), NULL);
			ok = false;
		}
	}
	ok = ok && cli_commit(batch) == EXIT_OK;
	free(outs);
	return ok;
}

static int run(int argc, char **argv)
{
	struct png_job job;
	struct renderer rd = {0};
	struct fio_batch *batch = NULL;
	int status = parse_args(argc, argv, &job);
	if (status != CLI_CONTINUE)
		return status;

	param_png_options(&job.draw, rd.software, &rd.png, &rd.amplitude);
	snprintf(rd.software, sizeof(rd.software), "heart %s", heart_stamp.version);
	rd.pool = heart_pool_create();
	rd.raster = rd.pool ? heart_raster_create(rd.pool) : NULL;
	if (!rd.raster || !fio_batch_create(&batch)) {
		cli_error("out of memory");
		status = EXIT_BAD;
		goto out;
	}
	bool const ok = job.frames ? write_frames(&rd, &job, batch) : write_one(&rd, &job, batch);
	status = ok ? EXIT_OK : EXIT_BAD;
out:
	fio_batch_destroy(batch);
	heart_raster_destroy(rd.raster);
	heart_pool_destroy(rd.pool);
	return status;
}
