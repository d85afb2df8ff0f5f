#!/bin/sh
# Quick start 1: install what is missing, build, and run heart's main job.
set -eu
cd "$(dirname "$0")/.."
scripts/setup.sh
exec build/heart --color ff0000 --fps 1.4 "$@"
