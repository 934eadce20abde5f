#!/usr/bin/env bash
# Checks the sample site the way its readers' tools see it: the Nu Html Checker (npm vnu-jar,
# run with Java) over every built page, and axe-core in headless Chromium on the home page, an
# article, a route, the tag list and the search page in each language. It also writes
# screenshots of Khmer pages at 390 and 1280 px to target/screenshots/ to look at.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f target/npm-tools/node_modules/vnu-jar/build/dist/vnu.jar ] || [ ! -f target/npm-tools/node_modules/axe-core/axe.min.js ]; then
  mkdir -p target/npm-tools
  npm install --silent --no-audit --no-fund --prefix target/npm-tools vnu-jar@26 axe-core@4
fi
cargo test --test accessibility -- --nocapture
ls target/screenshots/
