#!/usr/bin/env bash
# Whole-process benchmarks of hftlist (release build) on the real papers/ and on synthetic
# databases of 10,000 and 100,000 papers: wall time by hyperfine, peak memory by GNU time.
# Needs: hyperfine and time (Debian: apt-get install hyperfine time).
# Usage: bash benches/run.sh [OUT_DIR]   (databases are generated once into OUT_DIR)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-target/bench}
mkdir -p "$out"
cargo build --release --quiet
cargo build --release --quiet --example synth
bin=$PWD/target/release/hftlist
synth=$PWD/target/release/examples/synth
for n in 10000 100000; do
  [ -d "$out/db$n" ] || "$synth" --papers "$n" --out "$out/db$n"
done

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB"
for db in papers "$out/db10000" "$out/db100000"; do
  echo
  echo "== $db ($(ls "$db" | grep -c '\.yaml$') files)"
  # validate exits 1 when it finds errors; synthetic databases have warnings only.
  hyperfine --warmup 2 --runs 10 -N --export-markdown "$out/$(basename "$db").md" \
    -n validate "$bin --db $db validate" \
    -n render "$bin --db $db render" \
    -n query "$bin --db $db query --format json --kind defense --year 2024.." \
    -n export "$bin --db $db export --format bibtex" 2>&1 | grep -E "^(Benchmark|  Time|  Range)" || true
  for cmd in "validate" "render" "query --format json --kind defense --year 2024.." "export --format bibtex"; do
    kb=$( { /usr/bin/time -v "$bin" --db "$db" $cmd > /dev/null; } 2>&1 | awk '/Maximum resident/{print $6}')
    echo "peak memory, $cmd: $((kb / 1024)) MiB"
  done
done
