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

best_of() { # best wall time in seconds of N runs of a command
  local n=$1; shift; local best=
  for _ in $(seq "$n"); do
    local start end t
    start=$(date +%s.%N); "$@" >/dev/null 2>&1; end=$(date +%s.%N)
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
  rm -rf "$site/public"
  cold=$(best_of 1 "$mekong" build --root "$site")
  warm=$(best_of "$runs" "$mekong" build --root "$site")
  clean=$(best_of "$runs" bash -c "rm -rf '$site/public' && '$mekong' build --root '$site'")
  echo "mekong  $pages pages: first build ${cold}s, clean rebuild ${clean}s, unchanged rebuild ${warm}s"
  if command -v hugo >/dev/null; then
    hugo_t=$(best_of "$runs" bash -c "rm -rf '$site/hugo-public' && hugo --quiet -s '$site' -d '$site/hugo-public'")
    files=$(find "$site/hugo-public" -name '*.html' | wc -l)
    echo "hugo    $pages pages: clean build ${hugo_t}s ($files html files); mekong/hugo = $(echo "scale=2; $clean / $hugo_t" | bc)"
  fi
  io=$(best_of "$runs" bash -c "rm -rf '$site/copy' && cp -r '$site/content' '$site/copy' && cat \$(find '$site/content' -type f) >/dev/null")
  echo "floor   $pages pages: read + copy the input ${io}s"
done
