#!/usr/bin/env bash
# Full-build benchmark, mekong against Hugo on the same generated content.
#
# usage: scripts/bench-build.sh [--runs N] [ARTICLES_PER_LANGUAGE...]
#        RUNS=N scripts/bench-build.sh ...          (same as --runs; default 5)
# Sizes default to 1000 and 10000 articles per language (3,000 and 30,000 pages).
#
# For each size: scripts/gen-site.py writes the site (and its Hugo twin) on tmpfs; mekong and
# Hugo then build it in alternation, N times each, every build into a fresh output folder on
# tmpfs (mekong first in odd runs, Hugo first in even ones). Printed: median, min and max wall
# time of each; mekong/Hugo as the median of the N per-run ratios; peak memory (max RSS from
# /usr/bin/time); output size (du -sb) and what it is made of; and N rebuilds of mekong into
# its last output folder with nothing changed.
#
# Needs hugo (apt-get install hugo) and /usr/bin/time (apt-get install time). Set BENCH_TMP to
# put the work folder elsewhere than /dev/shm, MEKONG to time a given binary instead of
# building one.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${RUNS:-5}
sizes=()
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --runs=*) runs=${1#--runs=}; shift ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) sizes+=("$1"); shift ;;
  esac
done
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "runs must be a positive number, not '$runs'" >&2; exit 2; }
command -v hugo >/dev/null || { echo "hugo is missing: apt-get install -y hugo" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time is missing: apt-get install -y time" >&2; exit 1; }

tmp=${BENCH_TMP:-/dev/shm}
if [ "$(stat -f -c %T "$tmp" 2>/dev/null)" != tmpfs ]; then
  echo "warning: $tmp is not a tmpfs: disk speed will weigh on the times" >&2
fi
work=$(mktemp -d "$tmp/mekong-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

if [ -z "${MEKONG:-}" ]; then
  cargo build --release --quiet
  MEKONG=${CARGO_TARGET_DIR:-target}/release/mekong
fi
# A copy, so a build running beside this one (a shared target folder) cannot swap the binary
# between runs.
cp "$MEKONG" "$work/mekong"
mekong=$work/mekong
echo "mekong: $("$mekong" --version 2>/dev/null || echo "$MEKONG")"
echo "hugo:   $(hugo version | cut -d' ' -f1-2)"
echo "hugo related articles: ${HUGO_PARAMS_RELATED:-false} (HUGO_PARAMS_RELATED=true adds them)"
echo "cpus:   $(nproc); load average $(cut -d' ' -f1-3 /proc/loadavg); work folder $work"

# timed NAME OUT CMD... : runs CMD (every {} replaced by OUT) and appends
# "NAME seconds max_rss_kib" to $results. A failed build stops the benchmark.
timed() {
  local name=$1 out=$2; shift 2
  local start end
  start=$EPOCHREALTIME
  if ! timeout 1800 /usr/bin/time -f %M -o "$work/rss" "${@//\{\}/$out}" >"$work/log" 2>&1; then
    echo "$name failed:" >&2; tail -20 "$work/log" >&2; exit 1
  fi
  end=$EPOCHREALTIME
  echo "$name $(python3 -c "print(f'{$end - $start:.3f}')") $(tail -1 "$work/rss")" >>"$results"
}

for n in "${sizes[@]}"; do
  site=$work/site-$n
  echo
  echo "== $((n * 3)) pages ($n articles per language), $runs alternating runs"
  gen_start=$EPOCHREALTIME
  python3 scripts/gen-site.py "$site" "$n"
  echo "corpus: $(du -sb "$site/content" | cut -f1) bytes of Markdown for mekong, generated in" \
    "$(python3 -c "print(f'{$EPOCHREALTIME - $gen_start:.1f}')") s"
  results=$work/results-$n
  : >"$results"
  for run in $(seq "$runs"); do
    rm -rf "$work/out-mekong" "$work/out-hugo"
    if [ $((run % 2)) = 1 ]; then order="mekong hugo"; else order="hugo mekong"; fi
    for tool in $order; do
      case $tool in
        mekong) timed mekong "$work/out-mekong" "$mekong" build --root "$site" --output {} ;;
        hugo) timed hugo "$work/out-hugo" hugo --quiet --noBuildLock -s "$site/hugo" -d {} ;;
      esac
    done
    echo "  run $run/$runs: $(tail -2 "$results" | tr '\n' ' ')"
  done
  for run in $(seq "$runs"); do
    timed rebuild "$work/out-mekong" "$mekong" build --root "$site" --output {}
  done
  rebuild_said=$(grep -m1 '^Built' "$work/log" || tail -1 "$work/log")
  python3 - "$results" "$work/out-mekong" "$work/out-hugo" <<'EOF'
import collections, os, statistics, sys

results, outputs = sys.argv[1], {"mekong": sys.argv[2], "hugo": sys.argv[3]}
times, rss = collections.defaultdict(list), collections.defaultdict(list)
for line in open(results):
    name, seconds, kib = line.split()
    times[name].append(float(seconds))
    rss[name].append(int(kib) / 1024)

def mb(n):
    return f"{n / 1e6:.1f} MB"

def category(rel):
    name = os.path.basename(rel)
    if name in ("rss.xml", "atom.xml", "index.xml"):
        return "feeds"
    if name.startswith("sitemap"):
        return "sitemaps"
    if "/search/" in "/" + rel and name.endswith(".json"):
        return "search index"
    if name.endswith(".html"):
        return "HTML"
    if rel.split("/")[0] in ("css", "js", "fonts"):
        return "theme assets"
    return "other"

def sizes(root):
    total, by_kind, by_top = 0, collections.Counter(), collections.Counter()
    for folder, _, files in os.walk(root):
        for f in files:
            path = os.path.join(folder, f)
            rel = os.path.relpath(path, root)
            size = os.path.getsize(path)
            total += size
            by_kind[category(rel)] += size
            parts = rel.split("/")
            if parts[0] in ("en", "km", "vi") and len(parts) > 1:
                parts = parts[1:]  # languages merged: en/news/… counts as news/…
            by_top[parts[0] + ("/" if len(parts) > 1 else "")] += size
    return total, by_kind, by_top

print(f"{'':13}{'median':>9}{'min':>9}{'max':>9}   peak RSS median (max)    output (du -sb)")
out_size = {}
for name in ("mekong", "hugo"):
    t, m = times[name], rss[name]
    out_size[name] = int(os.popen(f"du -sb '{outputs[name]}'").read().split()[0])
    print(f"{name:13}{statistics.median(t):8.2f}s{min(t):8.2f}s{max(t):8.2f}s"
          f"   {statistics.median(m):7.0f} MiB ({max(m):.0f} MiB)   {mb(out_size[name])}")
ratios = [a / b for a, b in zip(times["mekong"], times["hugo"])]
print(f"mekong/hugo  time {statistics.median(ratios):.2f} (median of {len(ratios)} alternating"
      f" pairs: {' '.join(f'{r:.2f}' for r in ratios)}); peak memory"
      f" {statistics.median(rss['mekong']) / statistics.median(rss['hugo']):.2f};"
      f" output size {out_size['mekong'] / out_size['hugo']:.2f}")
t, m = times["rebuild"], rss["rebuild"]
print(f"mekong rebuild into the same folder, nothing changed: median {statistics.median(t):.2f}s"
      f" (min {min(t):.2f}s, max {max(t):.2f}s), peak RSS {statistics.median(m):.0f} MiB")
for name in ("mekong", "hugo"):
    total, by_kind, by_top = sizes(outputs[name])
    kinds = ", ".join(f"{k} {mb(v)} ({100 * v / total:.0f}%)" for k, v in by_kind.most_common())
    print(f"{name} output by kind: {kinds}")
    tops = ", ".join(f"{k} {mb(v)}" for k, v in by_top.most_common(8))
    print(f"{name} output by top-level entry, languages merged (largest 8): {tops}")
EOF
  echo "mekong said (rebuild): $rebuild_said"
done
