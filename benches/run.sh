#!/usr/bin/env bash
# Whole-process benchmarks of hftlist (release build) on the real papers/ and on synthetic
# databases of 10,000 and 100,000 papers: wall time by hyperfine, peak memory by GNU time.
# Realistic databases time every command; hostile and cluster ones (the near-duplicate search's
# worst cases) time `validate`.
# Needs: hyperfine and time (Debian: apt-get install hyperfine time).
# Usage: bash benches/run.sh [OUT_DIR]   (databases are generated once into OUT_DIR)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-target/bench}
target=${CARGO_TARGET_DIR:-$PWD/target}
mkdir -p "$out"
cargo build --release --quiet
cargo build --release --quiet --example synth
bin=$target/release/hftlist
synth=$target/release/examples/synth
for shape in realistic hostile cluster; do
  for n in 10000 100000; do
    [ -d "$out/$shape$n" ] || "$synth" --papers "$n" --shape "$shape" --out "$out/$shape$n"
  done
done

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB, load $(cut -d' ' -f1-3 /proc/loadavg)"
peak() {
  local kb
  kb=$( { /usr/bin/time -v "$@" > /dev/null; } 2>&1 | awk '/Maximum resident/{print $6}')
  echo "peak memory, ${*:2}: $((kb / 1024)) MiB"
}
for db in papers "$out/realistic10000" "$out/realistic100000"; do
  echo
  echo "== $db ($(ls "$db" | grep -c '\.yaml$') files)"
  # validate exits 1 when it finds errors; synthetic databases have warnings only.
  hyperfine --warmup 2 --runs 10 -N --export-markdown "$out/$(basename "$db").md" \
    -n validate "$bin --db $db validate" \
    -n render "$bin --db $db render" \
    -n query "$bin --db $db query --format json --kind defense --year 2024.." \
    -n export "$bin --db $db export --format bibtex" 2>&1 | grep -E "^(Benchmark|  Time|  Range)" || true
  for cmd in "validate" "render" "query --format json --kind defense --year 2024.." "export --format bibtex"; do
    # shellcheck disable=SC2086
    peak "$bin" --db "$db" $cmd
  done
done
for db in "$out/hostile10000" "$out/hostile100000" "$out/cluster10000" "$out/cluster100000"; do
  echo
  echo "== $db ($(ls "$db" | grep -c '\.yaml$') files)"
  hyperfine --warmup 1 --runs 10 -N -n validate "$bin --db $db validate" 2>&1 |
    grep -E "^(Benchmark|  Time|  Range)" || true
  peak "$bin" --db "$db" validate
  echo "similar-title warnings: $("$bin" --db "$db" validate | grep -c 'similar-title' || true)"
done
