#include <stdio.h>
#include <stdlib.h>

#include "args.h"
#include "cli.h"
#include "draw.h"
#include "fileio.h"
#include "render/gif.h"
#include "render/raster.h"

static int run(int argc, char **argv);

enum { OPT_OUTPUT, OPT_SIZE, OPT_DRAW };

struct gif_job {
	struct param_values draw; /* with --size */
	const char *output;
};

_Static_assert(SVG_SIZE_MAX == HEART_RASTER_MAX, "heart gif --size has the table's range");

static const struct opt_spec opts[] = {
	[OPT_OUTPUT] = {.name = "output",
			.short_name = 'o',
			.kind = ARG_PATH,
			.value_name = "FILE",
			.offset = offsetof(struct gif_job, output),
			.help = "where to write (default: standard output, never a terminal)"},
	[OPT_SIZE] = {DRAW_PARAM_SIZE(struct gif_job),
		      .help = "image size in pixels, 1 to 16384 (default 256)"},
	DRAW_OPTIONS(struct gif_job, OPT_DRAW),
};

const struct command cmd_gif = {
	.name = "gif",
	.summary = "write one beat of the heart as an animated GIF that loops forever",
	.synopsis = "heart gif [-o FILE] [--size N|WxH] [OPTIONS]",
	.description = "Write one beat of the heart as an animated GIF that loops forever, for "
		       "chat and\nemail, where SVG and APNG do not play.\n",
	.opts = opts,
	.n_opts = sizeof(opts) / sizeof(opts[0]),
	.epilog = "A GIF has no partial transparency: the heart's edges are blended into\n"
		  "--background, white when it is transparent (the default). One loop lasts one\n"
		  "beat, to the hundredth of a second; frames are 3 or 4 hundredths apart.\n",
	.run = run,
};

static int parse_args(int argc, char **argv, struct gif_job *job)
{
	struct arg_result r;

	*job = (struct gif_job){.output = "-"};
	param_values_init(&job->draw);
	int status = arg_parse(&cmd_gif, argc, argv, job, &r);
	if (status != CLI_CONTINUE)
		return status;
	draw_values_finish(&job->draw, &r, OPT_DRAW);
	draw_value_given(&job->draw, &r, OPT_SIZE, PD_SIZE);
	status = draw_values_check(&cmd_gif, &job->draw, PARAM_OUT_GIF);
	if (status != CLI_CONTINUE)
		return status;
	param_seed_apply(&job->draw); /* its shape, colour and where the loop starts */
	return CLI_CONTINUE;
}

/* Draw the GIF into out (named path). */
static bool render_to(struct heart_raster *raster, const struct gif_job *job, struct fio_out *out,
		      const char *path)
{
	struct heart_gif_options o;
	FILE *const fp = fio_out_stream(out);

	if (!fp) {
		cli_error("out of memory");
		return false;
	}
	param_gif_options(&job->draw, &o);
	enum heart_gif_status const st =
		heart_gif_write(fp, raster, job->draw.size.width, job->draw.size.height, &o);
	return st == HEART_GIF_OK ||
	       cli_image_failed(out, path, st == HEART_GIF_WRITE, "gif", heart_gif_strerror(st));
}

static int run(int argc, char **argv)
{
	struct gif_job job;
	struct heart_pool *pool = NULL;
	struct heart_raster *raster = NULL;
	struct fio_batch *batch = NULL;
	struct fio_out *out;
	int status = parse_args(argc, argv, &job);
	if (status != CLI_CONTINUE)
		return status;

	status = EXIT_BAD;
	pool = heart_pool_create();
	raster = pool ? heart_raster_create(pool) : NULL;
	if (!raster || !fio_batch_create(&batch)) {
		cli_error("out of memory");
		goto out;
	}
	out = cli_image_output(batch, job.output, "gif", "GIF");
	if (out && render_to(raster, &job, out, job.output))
		status = cli_commit(batch);
out:
	fio_batch_destroy(batch);
	heart_raster_destroy(raster);
	heart_pool_destroy(pool);
	return status;
}
