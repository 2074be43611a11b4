#!/usr/bin/env bash
# Fuzz snipcheck's Rust-side parsing: fuzz/run.sh SECONDS (split between the targets).
# cargo-fuzz needs nightly features; RUSTC_BOOTSTRAP lets the stable toolchain use them.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz
export RUSTC_BOOTSTRAP=1
# the library links libpython; the fuzz binaries need to find it
LD_LIBRARY_PATH="$(python3 -c 'import sysconfig; print(sysconfig.get_config_var("LIBDIR"))')${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export LD_LIBRARY_PATH
targets=(readers claims)
each=$(( seconds / ${#targets[@]} ))
for t in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$t"
  # seed with the project's own guides and cases
  cp tests/fixtures/* guides/* "fuzz/corpus/$t/" 2>/dev/null || true
  cargo fuzz run "$t" "fuzz/corpus/$t" -- -max_total_time="$each" -max_len=8192 -detect_leaks=0
done
