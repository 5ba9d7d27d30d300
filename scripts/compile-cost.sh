#!/usr/bin/env bash
# Compile cost of the catalog declarations: the 1018 endpoints of
# wxpay-catalog-tests/src/generated.rs with the wxpay macros, against the same structs with
# plain serde derives (wxpay-catalog-tests/plain). `cargo build` (dev profile, the same for
# both) of the declarations crate from clean, its dependencies already built; each variant is
# measured RUNS times (default 2), the runs interleaved so that other load on the machine
# hits both alike, and the better kept. Wall time is the figure asked for; CPU time
# (user + sys of rustc) is printed too because it is far less sensitive to other builds
# running on the same cores.
#
#   scripts/compile-cost.sh                 macros vs plain
#   FULL=1 scripts/compile-cost.sh          also everything from clean (an empty target dir)
#   BENCH="nobuilder nodebug noendpoint" scripts/compile-cost.sh
#                                           also the macros variant with parts of the expansion
#                                           left out (WXPAY_BENCH, if the macro crate reads it),
#                                           to see what dominates
#
# Each variant is its own standalone crate with its own target dir under
# target/compile-cost/, so that the shared target dir and its lock are not involved.
# The figures go to target/compile-cost.txt.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT_DIR="$ROOT/target/compile-cost"
REPORT="$ROOT/target/compile-cost.txt"
RUNS="${RUNS:-2}"
BENCH="${BENCH:-}"
mkdir -p "$OUT_DIR"

manifest_of() {
  case "$1" in
    plain) echo "$ROOT/wxpay-catalog-tests/plain/Cargo.toml" ;;
    *) echo "$ROOT/wxpay-catalog-tests/macros-only/Cargo.toml" ;;
  esac
}
package_of() {
  case "$1" in
    plain) echo "wxpay-catalog-plain" ;;
    *) echo "wxpay-catalog-macros" ;;
  esac
}
# All macro variants share one target dir: only the declarations crate is rebuilt.
target_of() {
  case "$1" in
    plain) echo "$OUT_DIR/plain" ;;
    *) echo "$OUT_DIR/macros" ;;
  esac
}
bench_of() {
  case "$1" in
    macros | plain) echo "" ;;
    *) echo "${1#macros-}" ;;
  esac
}

build() { # variant [time-output-file]
  local v="$1" manifest
  manifest="$(manifest_of "$v")"
  # The main lock file pins the same dependency versions in both variants.
  cp "$ROOT/Cargo.lock" "$(dirname "$manifest")/Cargo.lock"
  local timer=()
  if [[ $# -ge 2 ]]; then timer=(/usr/bin/time -o "$2" -f "%e %U %S %M"); fi
  WXPAY_BENCH="$(bench_of "$v")" "${timer[@]}" cargo build --quiet --offline \
    --manifest-path "$manifest" --target-dir "$(target_of "$v")" 2>"$OUT_DIR/$v.stderr" || {
      cat "$OUT_DIR/$v.stderr" >&2
      echo "build of $v failed" >&2
      exit 1
    }
}

variants=(macros plain)
if [[ -n "$BENCH" ]]; then
  if grep -rqs WXPAY_BENCH "$ROOT/wxpay-macros/src"; then
    for b in $BENCH; do variants+=("macros-$b"); done
  else
    echo "the macro crate does not read WXPAY_BENCH: BENCH ignored" >&2
  fi
fi

declare -A wall cpu rss
for v in macros plain; do
  echo "== $v: dependencies" >&2
  build "$v"
done
for run in $(seq "$RUNS"); do
  for v in "${variants[@]}"; do
    cargo clean --quiet --offline --manifest-path "$(manifest_of "$v")" \
      --target-dir "$(target_of "$v")" -p "$(package_of "$v")"
    load="$(cut -d' ' -f1 /proc/loadavg)"
    build "$v" "$OUT_DIR/time.txt"
    read -r w u s m <"$OUT_DIR/time.txt"
    c=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')
    echo "   run $run $v: wall ${w}s, cpu ${c}s, max rss $((m / 1024)) MiB (load before: $load)" >&2
    if [[ -z "${wall[$v]:-}" ]] || awk -v a="$w" -v b="${wall[$v]}" 'BEGIN { exit !(a < b) }'; then
      wall[$v]=$w
    fi
    if [[ -z "${cpu[$v]:-}" ]] || awk -v a="$c" -v b="${cpu[$v]}" 'BEGIN { exit !(a < b) }'; then
      cpu[$v]=$c
    fi
    rss[$v]=$((m / 1024))
  done
done

declare -A full
if [[ "${FULL:-0}" == 1 ]]; then
  for run in $(seq "$RUNS"); do
    for v in macros plain; do
      rm -rf "$(target_of "$v")"
      build "$v" "$OUT_DIR/time.txt"
      read -r w u s m <"$OUT_DIR/time.txt"
      echo "   run $run $v everything from clean: wall ${w}s" >&2
      if [[ -z "${full[$v]:-}" ]] || awk -v a="$w" -v b="${full[$v]}" 'BEGIN { exit !(a < b) }'; then
        full[$v]=$w
      fi
    done
  done
fi

lines() { wc -l <"$1" | tr -d ' '; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

{
  echo "compile cost of the catalog declarations ($(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, $(rustc --version))"
  echo "endpoints: $(grep -c '^pub mod ' "$ROOT/wxpay-catalog-tests/src/generated.rs"), structs: $(grep -c '^ *pub struct ' "$ROOT/wxpay-catalog-tests/src/generated.rs")"
  echo "source lines: macros $(lines "$ROOT/wxpay-catalog-tests/src/generated.rs"), plain $(lines "$ROOT/wxpay-catalog-tests/plain/src/generated.rs")"
  echo "cargo build (dev profile) of the declarations crate from clean, dependencies built; best of $RUNS:"
  printf "  %-22s %10s %10s %12s %14s\n" variant "wall s" "cpu s" "max RSS MiB" "ratio wall/cpu"
  for v in "${variants[@]}"; do
    printf "  %-22s %10s %10s %12s %14s\n" "$v" "${wall[$v]}" "${cpu[$v]}" "${rss[$v]}" \
      "$(ratio "${wall[$v]}" "${wall[plain]}")/$(ratio "${cpu[$v]}" "${cpu[plain]}")"
  done
  echo "ratio macros/plain: wall $(ratio "${wall[macros]}" "${wall[plain]}"), cpu $(ratio "${cpu[macros]}" "${cpu[plain]}") (target: at most 1.5)"
  if [[ "${FULL:-0}" == 1 ]]; then
    echo "everything from clean (empty target dir; the macros variant also builds wxpay-core, rsa, …), wall s:"
    echo "  macros ${full[macros]}, plain ${full[plain]}, ratio $(ratio "${full[macros]}" "${full[plain]}")"
  fi
} | tee "$REPORT"
