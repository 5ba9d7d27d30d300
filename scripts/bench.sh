#!/usr/bin/env bash
# Runs the benchmarks (benches/wxpay.rs) with both RSA backends, aws-lc-rs (the default) and
# the `rsa` crate (`--no-default-features --features client`), each next to the OpenSSL
# baseline and to the peer SDKs (wechatpayv3 for Python, wechatpay-axios-plugin for Node.js,
# doing the same request with the same keys: scripts/peers/), and writes BENCHMARKS.md and
# BENCHMARKS.svg at the repository root.
#
#   scripts/bench.sh                 15 rounds per backend (about 3 minutes each)
#   ROUNDS=5 scripts/bench.sh        fewer rounds
#   REPORT_ONLY=1 scripts/bench.sh   rewrite BENCHMARKS.md from the last results
#   PROFILE=0 scripts/bench.sh       skip the `perf` profiles of `prepare`
#   PEERS=0 scripts/bench.sh         do not install the peer SDKs (those already in
#                                    target/peers are still measured)
#
# The peers are installed from PyPI and npm into target/peers/ (a Python venv and a
# node_modules; nothing global), when python3 (with venv) and npm are there. A peer that cannot
# be installed or started is reported as not measured in BENCHMARKS.md, and the run goes on.
#
# Needs libssl-dev and pkg-config for the OpenSSL baseline (Debian:
# apt-get install -y libssl-dev pkg-config). The baseline is compiled in through
# RUSTFLAGS="--cfg wxpay_bench_openssl" only, so that `cargo test` and CI never need OpenSSL's
# headers; as RUSTFLAGS changes every crate's fingerprint, the benchmarks build in their own
# target dir (target/bench) rather than the shared one.
#
# Run it on a quiet machine (`uptime` load under ~1): the ratios are measured side by side
# and hold under load, but the send figures need the CPUs.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RESULTS="$ROOT/target/bench-results"
export CARGO_TARGET_DIR="$ROOT/target/bench"
export RUSTFLAGS="--cfg wxpay_bench_openssl"
export WXPAY_BENCH_ROUNDS="${ROUNDS:-15}"
cd "$ROOT"

if [[ "${REPORT_ONLY:-0}" != 1 ]]; then
  if ! pkg-config --exists openssl; then
    echo "the OpenSSL baseline needs libssl-dev and pkg-config:" >&2
    echo "  apt-get install -y libssl-dev pkg-config" >&2
    exit 1
  fi
  PEERS_DIR="$ROOT/target/peers"
  if [[ "${PEERS:-1}" == 1 ]]; then
    mkdir -p "$PEERS_DIR"
    echo "== installing the peer SDKs into $PEERS_DIR" >&2
    if [[ -x "$PEERS_DIR/py/bin/python" ]] || python3 -m venv "$PEERS_DIR/py" >&2; then
      "$PEERS_DIR/py/bin/pip" install --quiet --upgrade wechatpayv3 >&2 \
        || echo "wechatpayv3 could not be installed: not measured" >&2
    else
      echo "no python3 with venv: wechatpayv3 not measured" >&2
    fi
    if command -v npm >/dev/null && command -v node >/dev/null; then
      (mkdir -p "$PEERS_DIR/node" && cd "$PEERS_DIR/node" \
        && npm install --silent --no-audit --no-fund wechatpay-axios-plugin >&2) \
        || echo "wechatpay-axios-plugin could not be installed: not measured" >&2
    else
      echo "no node/npm: wechatpay-axios-plugin not measured" >&2
    fi
  fi
  export WXPAY_BENCH_PEERS="$PEERS_DIR"
  declare -A features=([aws-lc-rs]="" [rsa]="--no-default-features --features client")
  for backend in aws-lc-rs rsa; do
    echo "== building the benchmarks ($backend)" >&2
    # shellcheck disable=SC2086
    cargo bench --quiet --bench wxpay ${features[$backend]} --no-run
  done
  mkdir -p "$RESULTS"
  rm -f "$RESULTS"/*.json "$RESULTS"/perf-*.txt
  for backend in aws-lc-rs rsa; do
    echo "== running the benchmarks ($backend); load: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
    # shellcheck disable=SC2086
    WXPAY_BENCH_OUT="$RESULTS/$backend.json" \
      cargo bench --quiet --bench wxpay ${features[$backend]}
  done
  # Where the time goes inside `prepare`: a sampled profile of `prepare` in a loop (keys from
  # the fixtures, so no key generation shows), summarized by bench_report.py.
  if [[ "${PROFILE:-1}" == 1 ]] && command -v perf >/dev/null; then
    for backend in aws-lc-rs rsa; do
      # shellcheck disable=SC2086
      exe=$(cargo bench --quiet --bench wxpay ${features[$backend]} --no-run --message-format=json \
        | python3 -c 'import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("executable") and m.get("target", {}).get("name") == "wxpay":
        print(m["executable"])')
      for seed in app edu; do
        echo "== profiling prepare ($backend, $seed)" >&2
        data="$RESULTS/perf-$backend-$seed.data"
        WXPAY_BENCH_PROFILE=$seed WXPAY_BENCH_PROFILE_SECS=8 \
          perf record --quiet -F 1999 -o "$data" "$exe" 2>&1 | grep -v '^\[' >&2 || true
        perf report -i "$data" --no-children --sort sym --stdio 2>/dev/null \
          >"$RESULTS/perf-$backend-$seed.txt" || true
        rm -f "$data"
      done
    done
  fi
fi

python3 "$ROOT/scripts/bench_report.py" "$RESULTS" "$ROOT"
echo "wrote $ROOT/BENCHMARKS.md and $ROOT/BENCHMARKS.svg" >&2
