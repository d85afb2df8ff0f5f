// Replays a terminal byte stream through xterm.js (@xterm/headless: no browser) and prints
// the final screen, for tests/e2e/test_xterm.py. Runs on Node 18 and later.
//
// Usage: node xterm_replay.js STREAM.json   (NODE_PATH names the node_modules holding it)
// STREAM.json: {"cols": C, "rows": R, "events": [["o", BASE64_BYTES] or ["r", COLS, ROWS]...]}
// Prints: {"cols", "rows", "alternate": true when the alternate screen is shown,
//          "cells": rows of [text, width, fg, bg]; a colour is null (the default),
//          ["rgb", 0xRRGGBB] or ["palette", index]}
'use strict';
const fs = require('fs');
const { Terminal } = require('@xterm/headless');

function colour(cell, fg) {
  if (fg ? cell.isFgDefault() : cell.isBgDefault()) return null;
  const value = fg ? cell.getFgColor() : cell.getBgColor();
  return [(fg ? cell.isFgRGB() : cell.isBgRGB()) ? 'rgb' : 'palette', value];
}

function screen(term) {
  const buffer = term.buffer.active;
  const cell = buffer.getNullCell();
  const cells = [];
  for (let y = 0; y < term.rows; y++) {
    const line = buffer.getLine(buffer.viewportY + y);
    const row = [];
    for (let x = 0; x < term.cols; x++) {
      line.getCell(x, cell);
      row.push([cell.getChars() || ' ', cell.getWidth(), colour(cell, true), colour(cell, false)]);
    }
    cells.push(row);
  }
  return { cols: term.cols, rows: term.rows, alternate: buffer.type === 'alternate', cells };
}

async function main() {
  const stream = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  const term = new Terminal({ cols: stream.cols, rows: stream.rows, scrollback: 0,
                              allowProposedApi: true });
  for (const event of stream.events) {
    if (event[0] === 'o')
      await new Promise((done) => term.write(Buffer.from(event[1], 'base64'), done));
    else
      term.resize(event[1], event[2]);
  }
  process.stdout.write(JSON.stringify(screen(term)) + '\n');
  term.dispose();
}

main().catch((err) => {
  process.stderr.write(String(err && err.stack || err) + '\n');
  process.exit(1);
});
