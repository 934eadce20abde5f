#!/usr/bin/env bash
# Times `mekong build` on generated trilingual sites, beside Hugo on the same content when
# Hugo is installed (apt-get install hugo). Usage: scripts/bench-build.sh [ARTICLES_PER_LANG...]
# Defaults to 1000 and 10000 articles per language (3,000 and 30,000 pages).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("${@:-1000 10000}")
cargo build --release --quiet
mekong=target/release/mekong
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

best_of() { # best wall time in seconds of N runs of a command; {} is a fresh output folder
  local n=$1; shift; local best=
  for _ in $(seq "$n"); do
    local start end t out
    out=$(mktemp -d -u "$work/out.XXXX")
    sync  # flush earlier writes so they do not slow this run
    start=$(date +%s.%N); "${@//\{\}/$out}" >/dev/null 2>&1; end=$(date +%s.%N)
    rm -rf "$out"
    t=$(echo "$end - $start" | bc)
    if [ -z "$best" ] || [ "$(echo "$t < $best" | bc)" = 1 ]; then best=$t; fi
  done
  echo "$best"
}

for n in ${sizes[*]}; do
  site="$work/site-$n"
  python3 scripts/gen-site.py "$site" "$n"
  pages=$((n * 3))
  runs=3; [ "$n" -ge 5000 ] && runs=2
  # (each run writes to a fresh folder, as a first build would)
  clean=$(best_of "$runs" "$mekong" build --root "$site" --output {})
  "$mekong" build --root "$site" --output "$site/public" >/dev/null
  warm=$(best_of "$runs" "$mekong" build --root "$site" --output "$site/public")
  echo "mekong  $pages pages: build ${clean}s, rebuild with nothing changed ${warm}s"
  if command -v hugo >/dev/null; then
    hugo_t=$(best_of "$runs" hugo --quiet -s "$site" -d {})
    echo "hugo    $pages pages: build ${hugo_t}s; mekong/hugo = $(echo "scale=2; $clean / $hugo_t" | bc)"
  fi
  io=$(best_of "$runs" cp -r "$site/public" {})
  echo "floor   $pages pages: copying mekong's output folder ${io}s"
done
