#!/usr/bin/env bash
# Runs every fuzz target for SECONDS (default 600), two at a time. Corpora grow under corpus/;
# on the first run they are seeded from papers/, tests/fixtures/ and seeds/ (the Atom feeds of
# tests/add.rs, a few query argument lists and export records, NUL-separated, and README
# templates).
# cargo-fuzz needs nightly flags; RUSTC_BOOTSTRAP=1 lets the stable toolchain accept them.
set -u
cd "$(dirname "$0")"
seconds=${1:-600}
run() {
  RUSTC_BOOTSTRAP=1 cargo fuzz run -O "$1" -- -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    > "logs/$1.log" 2>&1
  echo "$1 exit $?" >> logs/summary
}
mkdir -p logs corpus/record_loader corpus/markdown_import corpus/arxiv_atom corpus/query_args \
  corpus/template_render corpus/export_writers
if [ -z "$(ls corpus/record_loader)" ]; then
  cp ../papers/*.yaml corpus/record_loader/
  for f in ../tests/fixtures/good/*.yaml; do cp "$f" "corpus/record_loader/good-$(basename "$f")"; done
  split -l 20 ../tests/fixtures/awesome-hft-entries.md corpus/markdown_import/part-
  cp seeds/arxiv_atom/* corpus/arxiv_atom/
  cp seeds/query_args/* corpus/query_args/
fi
if [ -z "$(ls corpus/template_render)" ]; then
  cp seeds/template_render/* corpus/template_render/
fi
if [ -z "$(ls corpus/export_writers)" ]; then
  cp seeds/export_writers/* corpus/export_writers/
fi
: > logs/summary
(run record_loader; run arxiv_atom; run template_render) &
(run markdown_import; run query_args; run export_writers) &
wait
cat logs/summary
