#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "cli.h"
#include "draw.h"
#include "output.h"
#include "render/model.h"
#include "render/png.h"
#include "render/raster.h"
#include "stamp.h"

#define MAX_FRAMES 1000

static int run(int argc, char **argv);

const struct command cmd_png = {
	.name = "png",
	.summary = "write the heart as an anti-aliased PNG",
	.usage = "Usage: heart png [-o FILE] [--size N|WxH] [--phase P] [OPTIONS]\n"
		 "       heart png --frames N -o PATTERN [OPTIONS]\n"
		 "Write the heart as an anti-aliased, indexed PNG (transparent background unless\n"
		 "--background says otherwise).\n\n"
		 "  -o, --output FILE  where to write (default: standard output, never a terminal)\n"
		 "  --size N|WxH       image size in pixels, 1 to 16384 (default 256)\n"
		 "  --phase P          the heart at this point of its beat, 0 to 1 (0 at rest)\n"
		 "  --frames N         a whole beat as N frames, 1 to 1000; -o names them with one\n"
		 "                     integer conversion, e.g. 'heart-%03d.png' (frames from 0)\n" DRAW_USAGE
		 "A frame of the beat (--phase, --frames) keeps room for the beat's peak, so frames\n"
		 "line up; without them the heart at rest fills the image and --amplitude is\n"
		 "refused. --fps and --bpm are refused: a PNG does not move.\n",
	.run = run,
};

enum { OPT_OUTPUT = DRAW_OPT_COUNT, OPT_SIZE, OPT_PHASE, OPT_FRAMES };

struct png_job {
	struct draw_opts draw;
	const char *output;
	uint32_t width, height;
	double phase;
	long frames; /* 0: one image */
	bool beat;   /* --phase or --frames: a frame of the beat, laid out with room for it */
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

/* Returns -1 to go on, or the exit status. */
static int parse_args(int argc, char **argv, struct png_job *job)
{
	static const struct arg_opt opts[] = {
		DRAW_ARG_OPTS, {"output", 'o', true}, {"size", 0, true},
		{"phase", 0, true}, {"frames", 0, true},
	};
	struct arg_parser p;
	const char *v;
	int id;

	*job = (struct png_job){.output = "-", .width = 256, .height = 256};
	draw_opts_init(&job->draw);
	arg_init(&p, &cmd_png, argc, argv, opts, sizeof(opts) / sizeof(opts[0]));
	while ((id = arg_next(&p, &v)) != ARG_DONE) {
		bool ok;
		if (id == ARG_STOP)
			return p.status;
		if (id == ARG_OPERAND)
			return cli_usage_error("png: unexpected argument '%s'", quote(v).s);
		if (id < DRAW_OPT_COUNT)
			ok = draw_opts_apply(&job->draw, id, v);
		else if (id == OPT_OUTPUT)
			ok = (job->output = v, true);
		else if (id == OPT_SIZE)
			ok = arg_size("--size", v, HEART_RASTER_MAX, &job->width, &job->height);
		else if (id == OPT_PHASE)
			ok = arg_double("--phase", v, 0, 1, &job->phase);
		else
			ok = arg_long("--frames", v, 1, MAX_FRAMES, &job->frames);
		if (!ok)
			return EXIT_BAD;
	}
	if (!draw_opts_finish(&job->draw, &p))
		return EXIT_BAD;
	if (job->draw.hz_given)
		return cli_usage_error("png: --fps and --bpm set how fast the heart beats, and a PNG "
				       "does not move (--phase and --frames count in beats)");
	if ((p.seen & 1ULL << DRAW_OPT_AMPLITUDE) && !job->frames && !(p.seen & 1ULL << OPT_PHASE))
		return cli_usage_error("png: --amplitude sets how much the heart grows as it beats; "
				       "a single image at rest does not beat (add --phase or --frames)");
	job->beat = job->frames || (p.seen & 1ULL << OPT_PHASE);
	if (job->frames && (p.seen & 1ULL << OPT_PHASE))
		return cli_usage_error("png: --phase and --frames do not go together");
	if (job->frames && !(p.seen & 1ULL << OPT_OUTPUT))
		return cli_usage_error("png: --frames needs -o PATTERN");
	return CLI_CONTINUE;
}

struct renderer {
	struct heart_pool *pool;
	struct heart_raster *raster;
	struct heart_png_options png;
	char software[64];
};

/*
 * Render the heart at `phase` of its beat into o->fp. A frame of the beat keeps room for the
 * beat's peak, so that the frames of one beat line up; a single image at rest never beats and
 * fills the image.
 */
static bool render_to(struct renderer *rd, const struct png_job *job, double phase,
		      struct out_file *o)
{
	struct heart_transform base, t;
	struct heart_path path;
	double const amp = job->beat ? job->draw.amplitude : 0;

	heart_layout(&job->draw.shape, job->width, job->height, 1, HEART_IMAGE_MARGIN, 1 + amp,
		     &base);
	heart_transform_scale(&base, 1 + amp * heart_beat_pulse(phase), &t);
	heart_path_build(&job->draw.shape, &t, &path);
	enum heart_png_status const st =
		heart_png_write(o->fp, rd->raster, &path, job->width, job->height, &rd->png);
	if (st != HEART_PNG_OK) {
		cli_error("png: cannot write '%s': %s", o->path ? quote(o->path).s : "stdout",
			  heart_png_strerror(st));
		return false;
	}
	return true;
}

static bool write_one(struct renderer *rd, const struct png_job *job)
{
	struct out_file o;
	if (!out_open(&o, job->output, 0666))
		return false;
	if (!render_to(rd, job, job->phase, &o)) {
		out_abort(&o);
		return false;
	}
	return out_commit(&o);
}

/* Every frame goes to its temporary file first; only when all are complete are they
 * renamed into place, so a failure leaves none of them. */
static bool write_frames(struct renderer *rd, const struct png_job *job)
{
	struct pattern pat;
	struct out_file *files = NULL;
	char name[600];
	long done = 0;
	bool ok = false;

	if (!parse_pattern(job->output, &pat)) {
		cli_error("png: -o '%s' needs exactly one integer conversion such as %%03d "
			  "(and %%%% for a percent sign)",
			  quote(job->output).s);
		return false;
	}
	files = calloc((size_t)job->frames, sizeof(*files));
	if (!files) {
		cli_error("out of memory");
		return false;
	}
	for (; done < job->frames; done++) {
		frame_name(&pat, done, name, sizeof(name));
		if (!out_open(&files[done], name, 0666))
			goto out;
		if (!render_to(rd, job, (double)done / job->frames, &files[done]) ||
		    !out_seal(&files[done])) {
			done++;
			goto out;
		}
	}
	ok = true;
	for (long k = 0; k < job->frames; k++)
		ok = out_commit(&files[k]) && ok;
	done = 0;
out:
	for (long k = 0; k < done; k++)
		out_abort(&files[k]);
	free(files);
	return ok;
}

static int run(int argc, char **argv)
{
	struct png_job job;
	struct renderer rd = {0};
	int status = parse_args(argc, argv, &job);
	if (status != CLI_CONTINUE)
		return status;

	if (out_is_terminal(job.output)) {
		cli_error("png: refusing to write PNG to a terminal (use -o FILE or a redirection)");
		return EXIT_BAD;
	}
	rd.png = (struct heart_png_options){
		.color = job.draw.color,
		.transparent = job.draw.transparent,
		.background = job.draw.background,
		.software = rd.software,
	};
	snprintf(rd.software, sizeof(rd.software), "heart %s", heart_stamp.version);
	rd.pool = heart_pool_create();
	rd.raster = rd.pool ? heart_raster_create(rd.pool) : NULL;
	if (!rd.raster) {
		cli_error("out of memory");
		status = EXIT_BAD;
		goto out;
	}
	bool const ok = job.frames ? write_frames(&rd, &job) : write_one(&rd, &job);
	status = ok ? EXIT_OK : EXIT_BAD;
out:
	heart_raster_destroy(rd.raster);
	heart_pool_destroy(rd.pool);
	return status;
}
