// The peers bench/bench_compare.py measures heart against, in-process, best of REPEATS:
// resvg (@resvg/resvg-js) rendering and encoding heart's SVG, and Skia (@napi-rs/canvas)
// filling heart's path on a reused canvas. Installed by scripts/setup.sh --bench into
// bench/npm/node_modules.
//
// Usage: node bench_peers.mjs REPEATS SIZE:SVGFILE...
// Prints one JSON object per size.
import {readFileSync} from 'node:fs';
import {createRequire} from 'node:module';

const require = createRequire(new URL('./npm/', import.meta.url));
const {Resvg} = require('@resvg/resvg-js');
const {createCanvas, Path2D} = require('@napi-rs/canvas');

function best(repeats, fn) {
  let min = Infinity;
  for (let i = 0; i < repeats; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    min = Math.min(min, Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return min;
}

const repeats = Number(process.argv[2]);
for (const arg of process.argv.slice(3)) {
  const [size, file] = [Number(arg.split(':')[0]), arg.slice(arg.indexOf(':') + 1)];
  const svg = readFileSync(file, 'utf8');
  const d = /<path[^>]* d="([^"]*)"/.exec(svg)[1];
  const fill = /<path[^>]* fill="([^"]*)"/.exec(svg)[1];

  let bytes = 0;
  const resvgRender = best(repeats, () => new Resvg(svg, {fitTo: {mode: 'width', value: size}}).render());
  const resvgTotal = best(repeats, () => {
    bytes = new Resvg(svg, {fitTo: {mode: 'width', value: size}}).render().asPng().length;
  });

  // A canvas made once and reused, as an animation would; reading one pixel back makes sure
  // the drawing is done when the clock stops.
  const canvas = createCanvas(size, size);
  const ctx = canvas.getContext('2d');
  const path = new Path2D(d);
  ctx.fillStyle = fill;
  // Filling is quick and easily disturbed: a hundred times as many runs, as for heart's
  // rasterizer in bench_png.
  const skiaFill = best(100 * repeats, () => {
    ctx.fill(path);
    ctx.getImageData(0, 0, 1, 1);
  });
  const skiaFrame = best(100 * repeats, () => {
    ctx.clearRect(0, 0, size, size);
    ctx.fill(path);
    ctx.getImageData(0, 0, 1, 1);
  });
  let skiaBytes = 0;
  const skiaEncode = best(repeats, () => { skiaBytes = canvas.encodeSync('png').length; });
  console.log(JSON.stringify({size, resvgRender, resvgTotal, bytes, skiaFill, skiaFrame,
                              skiaEncode, skiaBytes}));
}
