#!/usr/bin/env bash
# Runs every fuzz target for SECONDS (default 60). Needs cargo-fuzz; installs it if missing.
# cargo-fuzz wants nightly flags; RUSTC_BOOTSTRAP=1 lets the stable compiler accept them.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
export RUSTC_BOOTSTRAP=1
for t in $(cargo fuzz list); do
  echo "== $t ($secs s)"
  cargo fuzz run "$t" -- -max_total_time="$secs" -rss_limit_mb=2048 -max_len=65536
done
