#!/usr/bin/env bash
# Scores HTML main-text extractors on the article-extraction benchmark
# (181 news/article pages; GitHub zytedata/article-extraction-benchmark, formerly
# scrapinghub/article-extraction-benchmark) and measures their cold build.
#
#   DATA=/tmp/aeb scripts/html-extract-bench/run.sh            # quality + speed table
#   DATA=/tmp/aeb scripts/html-extract-bench/run.sh --retold   # also retold's own extract_article
#   scripts/html-extract-bench/run.sh --build-times            # cold release builds, dependency counts
#   scripts/html-extract-bench/run.sh --stress                 # hostile inputs
#
# The data stays outside the repository. Get it into $DATA first, e.g. from a
# bare clone of the benchmark repository at $BENCH_GIT:
#   mkdir -p /tmp/aeb && git --git-dir="$BENCH_GIT" archive HEAD html ground-truth.json output | tar x -C /tmp/aeb
# ($DATA/html/<id>.html.gz and $DATA/ground-truth.json are what is read;
# $DATA/output/*.json are the benchmark's published predictions, which
# `score` uses to check this scorer against the published numbers.)
set -euo pipefail
cd "$(dirname "$0")"
DATA=${DATA:-/tmp/aeb}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/tmp/html-extract-bench-target}
BIN=$CARGO_TARGET_DIR/release/html-extract-bench

case "${1:-}" in
--build-times)
    cargo fetch
    for c in rs-trafilatura dom_smoothie; do
        n=$(cargo tree -p "$c" -e normal --prefix none | sed 's/ (\*)//' | sort -u | wc -l)
        echo "$c: $n crates in its normal dependency tree (itself included)"
        rm -rf "/tmp/html-extract-bench-cold-$c"
        /usr/bin/time -f "$c cold release build: %e s wall, %U s user" \
            cargo build -q --release -p "$c" --target-dir "/tmp/html-extract-bench-cold-$c"
    done
    ;;
--stress)
    cargo build -q --release
    "$BIN" stress
    ;;
--retold)
    cargo build -q --release --features retold
    "$BIN" run --data "$DATA" --out "$DATA/out" --repeat 3
    ;;
*)
    cargo build -q --release
    # Scorer check: must reproduce the published F1/precision/recall/accuracy.
    if ls "$DATA"/output/*.json >/dev/null 2>&1; then
        "$BIN" score --data "$DATA" "$DATA"/output/dom_smoothie.json "$DATA"/output/rs_trafilatura.json "$DATA"/output/trafilatura.json
        echo
    fi
    "$BIN" run --data "$DATA" --out "$DATA/out" --repeat 3
    ;;
esac
