#!/usr/bin/env sh
# Load with faults: 10 000 requests from one Client to one sandbox, 64 at a time, about one in
# five with a fault (dropped connections, slow answers, 5xx and 429, cut bodies, bad or
# missing signatures, stale timestamps, unknown serials, probes, oversized answers).
# Prints one summary line: outcomes, requests/s, VmRSS after 1 000 and after 10 000 requests.
#
#   scripts/load.sh                       # release build, the default backend (aws-lc-rs)
#   scripts/load.sh --no-default-features --features client   # RSA through the rsa crate
#   scripts/load.sh --debug               # unoptimized (slower)
# Any other arguments go to cargo.
set -eu
cd "$(dirname "$0")/.."
profile=--release
if [ "${1:-}" = "--debug" ]; then
    profile=
    shift
fi
# shellcheck disable=SC2086
exec cargo test -p wxpay $profile "$@" --test load -- --ignored --nocapture load_10k_with_faults
