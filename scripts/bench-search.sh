#!/usr/bin/env bash
# Search benchmark: index build time, index size (raw and gzip, against the text indexed)
# and the time of a query in headless Chromium, for the sample site and a generated
# trilingual site. Usage: scripts/bench-search.sh [ARTICLES_PER_LANGUAGE]   (default 1000)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000}
cargo build --release --quiet
mekong=$PWD/target/release/mekong
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

best_of() { # best wall time in seconds of 3 runs
  local best=
  for _ in 1 2 3; do
    local start end t
    start=$(date +%s.%N); "$@" >/dev/null 2>&1; end=$(date +%s.%N)
    t=$(echo "$end - $start" | bc)
    if [ -z "$best" ] || [ "$(echo "$t < $best" | bc)" = 1 ]; then best=$t; fi
  done
  echo "$best"
}

python3 scripts/gen-site.py "$work/gen" "$n"
cp -r site "$work/sample"
rm -rf "$work/sample/public"
for name in sample gen; do
  root="$work/$name"
  with=$(best_of "$mekong" build --root "$root" --output "$work/out-$name")
  cp "$root/config.toml" "$work/config.bak"
  sed -i '0,/^default_language/s//build_search_index = false\n&/' "$root/config.toml"
  without=$(best_of "$mekong" build --root "$root" --output "$work/out-$name-nosearch")
  cp "$work/config.bak" "$root/config.toml"
  echo "== $name: build ${with}s with search, ${without}s without: index built in $(echo "$with - $without" | bc)s"
  python3 scripts/search-size.py "$work/out-$name"
done
MEKONG_BENCH_SITE="$work/gen" cargo test --release --quiet --test search -- --ignored --nocapture query_time 2>/dev/null | grep '^query'
MEKONG_BENCH_SITE="$work/sample" MEKONG_BENCH_QUERIES="vi:đối ngoại,en:border markers,km:បង្គោល" \
  cargo test --release --quiet --test search -- --ignored --nocapture query_time 2>/dev/null | grep '^query'
