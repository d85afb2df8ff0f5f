// Screenshots of <img> elements in Debian's headless Chromium, driven by playwright-core
// (tests/browser/node_modules, from scripts/setup.sh --test), for tests/e2e/test_browser.py.
//
//   node browser_shot.mjs JOB.json   prints one JSON object on stdout
//
// JOB: {"browsers": [{"args": [extra Chromium flags], "visits": [VISIT, ...]}, ...]}
// VISIT: {"url": ..., "reducedMotion": "reduce" | "no-preference",
//         "colorScheme": "light" | "dark" (optional: Playwright's default, light),
//         "shots": [{"selector": "#id", "count": N, "distinct": N, "gapMs": MS}, ...]}
// A shot takes screenshots of the element, `count` of them, or fewer once `distinct` different
// ones were seen (distinct 0: never), waiting gapMs plus 0..99 ms (a different amount each
// time, so the screenshots do not keep to the beat of an animation) between two.
// Out: for each browser its visits: every image element's box and natural size, whether the page
// matches (prefers-reduced-motion: reduce) and (prefers-color-scheme: dark), for each shot the distinct screenshots (base64 PNG,
// in order of first sight) and `order`, the index of each screenshot among them; and every
// request the page made, with the headers Chromium sent and the response's status, headers and,
// for images, body.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

const require = createRequire(new URL('../browser/package.json', import.meta.url));
const { chromium } = require('playwright-core');

// No network but loopback: nothing in the background, and every host name but 127.0.0.1
// fails to resolve. Playwright adds a new, empty --user-data-dir under $TMPDIR.
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1', '--force-color-profile=srgb'];

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function shoot(page, spec) {
    const element = page.locator(spec.selector);
    const distinct = [];
    const order = [];
    while (order.length < spec.count && (!spec.distinct || distinct.length < spec.distinct)) {
        if (order.length > 0) await sleep(spec.gapMs + (order.length * 37) % 100);
        const png = (await element.screenshot({ animations: 'allow', timeout: 30000 }))
            .toString('base64');
        let index = distinct.indexOf(png);
        if (index < 0) index = distinct.push(png) - 1;
        order.push(index);
    }
    return { selector: spec.selector, order, distinct };
}

function record(page) {
    const requests = [];
    const pending = [];
    page.on('request', (request) => {
        const entry = { url: request.url(), resourceType: request.resourceType() };
        requests.push(entry);
        pending.push((async () => {
            entry.headers = await request.allHeaders();
            const response = await request.response();
            if (!response) return;
            entry.status = response.status();
            entry.responseHeaders = await response.allHeaders();
            if (request.resourceType() === 'image') {
                entry.body = (await response.body()).toString('base64');
            }
        })().catch((e) => { entry.error = String(e); }));
    });
    page.on('requestfailed', (request) => {
        const entry = requests.find((r) => r.url === request.url() && !r.failure);
        if (entry) entry.failure = request.failure()?.errorText ?? 'failed';
    });
    return async () => { await Promise.all(pending); return requests; };
}

async function visit(browser, job) {
    // A context of its own per visit: its own cache and client-hint store.
    const context = await browser.newContext({
        viewport: { width: 1600, height: 720 }, deviceScaleFactor: 1,
        reducedMotion: job.reducedMotion,
        ...(job.colorScheme ? { colorScheme: job.colorScheme } : {}),
    });
    try {
        const page = await context.newPage();
        const requests = record(page);
        await page.goto(job.url, { waitUntil: 'load', timeout: 30000 });
        await page.waitForFunction(() => [...document.images].every((i) => i.complete),
            null, { timeout: 30000 });
        const images = await page.evaluate(() => [...document.images].map((i) => {
            const r = i.getBoundingClientRect();
            return { id: i.id, naturalWidth: i.naturalWidth, naturalHeight: i.naturalHeight,
                box: { x: r.x, y: r.y, width: r.width, height: r.height } };
        }));
        const reduce = await page.evaluate(
            () => matchMedia('(prefers-reduced-motion: reduce)').matches);
        const dark = await page.evaluate(
            () => matchMedia('(prefers-color-scheme: dark)').matches);
        const shots = [];
        for (const spec of job.shots) shots.push(await shoot(page, spec));
        return { url: job.url, images, reduce, dark, shots, requests: await requests() };
    } finally {
        await context.close();
    }
}

const job = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const out = [];
for (const b of job.browsers) {
    const browser = await chromium.launch({
        executablePath: '/usr/bin/chromium', headless: true, args: ARGS.concat(b.args),
        timeout: 60000,
    });
    try {
        const visits = [];
        for (const v of b.visits) visits.push(await visit(browser, v));
        out.push({ version: browser.version(), args: b.args, visits });
    } finally {
        await browser.close();
    }
}
process.stdout.write(JSON.stringify({ browsers: out }));
