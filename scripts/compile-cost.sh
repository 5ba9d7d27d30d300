#!/usr/bin/env bash
# Compile cost of the wxpay macros: wxpay-api itself against its plain twin, the same module
# tree, features, field types, enums and `from_json` code with plain
# `#[derive(serde::Serialize, serde::Deserialize)]` and no wxpay attributes, written by
# `cargo run -p xtask -- gen-catalog --plain target/compile-cost/plain`. A second twin
# (`plain1`, `--plain DIR --one-sided`) derives only the side wxpay-api's models have:
# `Serialize` for requests, `Deserialize` for answers (both twins derive as their names say;
# wxpay-api's macros also write the builders, redacted `Debug` and `Endpoint`).
#
#   scripts/compile-cost.sh                          macros, plain and plain1
#   VARIANTS="macros plain1" scripts/compile-cost.sh some of them (macros always measured)
#
# Rows (the same features on both sides):
#   api       every group (`--features api`)
#   three     the three biggest groups by generated code size, each alone
#   api-pay   what a user who enables `api-pay` alone pays
#
# Each build is `cargo build` (dev profile, whatever CARGO_PROFILE_DEV_* the environment sets)
# of wxpay-api or of the twin from clean, its dependencies already built. Each row and
# variant is measured RUNS times (default 2), the runs interleaved so that other load on the
# machine hits both alike, and the best kept. The figure is CPU time (user + sys of cargo and
# the rustc it runs, from /usr/bin/time), far less sensitive than wall time to other builds
# on the same cores; wall time is printed too.
#
# The twin is a standalone crate (its own `[workspace]`, the main lock file copied in); both
# sides have their own target dir under target/compile-cost/, so the shared target dir and its
# lock are not involved. The table goes to target/compile-cost.txt.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT_DIR="$ROOT/target/compile-cost"
REPORT="$ROOT/target/compile-cost.txt"
RUNS="${RUNS:-2}"
VARIANTS="${VARIANTS:-macros plain plain1}"
read -r -a variants <<<"$VARIANTS"
[[ "${variants[0]}" == macros ]] || variants=(macros "${variants[@]}")
mkdir -p "$OUT_DIR"

for v in "${variants[@]}"; do
  [[ "$v" == macros ]] && continue
  echo "== writing the twin $v" >&2
  one_sided=()
  if [[ "$v" == plain1 ]]; then one_sided=(--one-sided); fi
  cargo run --quiet --offline --manifest-path "$ROOT/Cargo.toml" -p xtask -- \
    gen-catalog --plain "$OUT_DIR/$v" "${one_sided[@]}" >/dev/null
  cp "$ROOT/Cargo.lock" "$OUT_DIR/$v/Cargo.lock"
  # The twins share their dependencies: a copy saves building them again.
  if [[ ! -d "$OUT_DIR/$v-target" && -d "$OUT_DIR/plain-target" ]]; then
    cp -a "$OUT_DIR/plain-target" "$OUT_DIR/$v-target"
  fi
done

# The three biggest groups by generated code size, as features (from `generated/mod.rs`:
# `#[cfg(feature = "…")]` … `pub mod <module>;`).
feature_of_module() {
  awk -v m="$1" '/^#\[cfg\(feature = / { f = $0; sub(/^#\[cfg\(feature = "/, "", f); sub(/"\)\]$/, "", f) }
    $0 == "pub mod " m ";" { print f }' "$ROOT/wxpay-api/src/generated/mod.rs"
}
biggest=()
for f in $(ls -S "$ROOT"/wxpay-api/src/generated/*.rs | grep -v '/mod\.rs$' | head -3); do
  biggest+=("$(feature_of_module "$(basename "$f" .rs)")")
done
rows=(api "${biggest[@]}" api-pay)

build() { # variant features [time-output-file]
  local v="$1" features="$2" args
  if [[ "$v" == macros ]]; then
    args=(--manifest-path "$ROOT/Cargo.toml" -p wxpay-api --target-dir "$OUT_DIR/macros-target")
  else
    args=(--manifest-path "$OUT_DIR/$v/Cargo.toml" --target-dir "$OUT_DIR/$v-target")
  fi
  local timer=()
  if [[ $# -ge 3 ]]; then timer=(/usr/bin/time -o "$3" -f "%e %U %S %M"); fi
  "${timer[@]}" cargo build --quiet --offline "${args[@]}" --features "$features" \
    2>"$OUT_DIR/$v.stderr" || {
      cat "$OUT_DIR/$v.stderr" >&2
      echo "build of $v ($features) failed" >&2
      exit 1
    }
}
clean() { # variant
  if [[ "$1" == macros ]]; then
    cargo clean --quiet --offline --manifest-path "$ROOT/Cargo.toml" -p wxpay-api \
      --target-dir "$OUT_DIR/macros-target"
  else
    cargo clean --quiet --offline --manifest-path "$OUT_DIR/$1/Cargo.toml" -p wxpay-api-plain \
      --target-dir "$OUT_DIR/$1-target"
  fi
}

for v in "${variants[@]}"; do
  echo "== $v: dependencies" >&2
  build "$v" api-pay
done

declare -A wall cpu
start_load="$(uptime)"
for run in $(seq "$RUNS"); do
  for row in "${rows[@]}"; do
    for v in "${variants[@]}"; do
      clean "$v"
      load="$(cut -d' ' -f1-3 /proc/loadavg)"
      build "$v" "$row" "$OUT_DIR/time.txt"
      read -r w u s _ <"$OUT_DIR/time.txt"
      c=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.1f", u + s }')
      echo "   run $run $row $v: cpu ${c}s, wall ${w}s (load before: $load)" >&2
      k="$row/$v"
      if [[ -z "${cpu[$k]:-}" ]] || awk -v a="$c" -v b="${cpu[$k]}" 'BEGIN { exit !(a < b) }'; then
        cpu[$k]=$c
      fi
      if [[ -z "${wall[$k]:-}" ]] || awk -v a="$w" -v b="${wall[$k]}" 'BEGIN { exit !(a < b) }'; then
        wall[$k]=$w
      fi
    done
  done
done
end_load="$(uptime)"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
lines() { cat "$@" | wc -l | tr -d ' '; }

{
  echo "compile cost of wxpay-api against its plain twins ($(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, $(rustc --version))"
  echo "endpoints: $(grep -c '^    Entry {' "$ROOT/wxpay-api/src/catalog.rs"); source lines of the generated modules: wxpay-api $(lines "$ROOT"/wxpay-api/src/generated/*.rs)"
  echo "cargo build (dev profile, CARGO_PROFILE_DEV_DEBUG=${CARGO_PROFILE_DEV_DEBUG:-unset}) of the crate from clean, dependencies built; best of $RUNS; CPU s = user + sys"
  echo "macros: wxpay-api; plain: twin deriving Serialize + Deserialize; plain1: twin deriving one side"
  echo "load: at start $start_load"
  echo "      at end   $end_load"
  header=$(printf "  %-22s" features)
  for v in "${variants[@]}"; do header+=$(printf " %10s" "$v CPU"); done
  for v in "${variants[@]:1}"; do header+=$(printf " %14s" "macros/$v"); done
  echo "$header"
  for row in "${rows[@]}"; do
    line=$(printf "  %-22s" "$row")
    for v in "${variants[@]}"; do line+=$(printf " %10s" "${cpu[$row/$v]}"); done
    for v in "${variants[@]:1}"; do
      line+=$(printf " %14s" "$(ratio "${cpu[$row/macros]}" "${cpu[$row/$v]}")")
    done
    echo "$line"
  done
  echo "wall s (best of $RUNS, for reference):"
  for row in "${rows[@]}"; do
    line=$(printf "  %-22s" "$row")
    for v in "${variants[@]}"; do line+=$(printf " %10s" "${wall[$row/$v]}"); done
    echo "$line"
  done
  echo "target: wxpay-api at most 1.5 times its plain twin (--features api)"
} | tee "$REPORT"
