#!/bin/sh
# Fuzzes wxpay-core with cargo-fuzz (libFuzzer): every target in fuzz/fuzz_targets for a bounded
# time, then one line per target: seconds, executions, coverage, crashes.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]     default 60 s, all targets
#   scripts/fuzz.sh 5                                     CI smoke run
#
# Installs cargo-fuzz when it is missing. Only a stable toolchain is needed: cargo-fuzz passes
# nightly flags (-Cpasses=sancov-module, -Z…), which RUSTC_BOOTSTRAP=1 lets stable rustc take.
# The corpus grows in fuzz/corpus/TARGET (kept between runs), crashes land in
# fuzz/artifacts/TARGET, full logs in fuzz/logs. Exit status 1 when any target crashed.
#
# Environment: FUZZ_SANITIZER (default none: wxpay-core is #![forbid(unsafe_code)], and
# AddressSanitizer costs a factor ~3 in executions; `address` works too), CARGO_TARGET_DIR
# (the build goes to $CARGO_TARGET_DIR/fuzz, default target/fuzz), FUZZ_FEATURES (features of
# the fuzz crate: `aws-lc` fuzzes wxpay-core's aws-lc RSA backend; built in its own directory).
set -eu
cd "$(dirname "$0")/.."

seconds=${1:-60}
[ $# -gt 0 ] && shift
targets=${*:-"verify_response notification keys certificate_download"}
sanitizer=${FUZZ_SANITIZER:-none}
features=${FUZZ_FEATURES:-}
target_dir=${CARGO_TARGET_DIR:-$PWD/target}/fuzz${features:+-$features}
export RUSTC_BOOTSTRAP=1

if ! cargo fuzz --version >/dev/null 2>&1; then
	echo "installing cargo-fuzz" >&2
	cargo install cargo-fuzz --locked
fi

# -O: optimized without global debug assertions (fuzz/Cargo.toml turns them and overflow
# checks back on for everything but the big-number crates).
flags="-O -s $sanitizer --fuzz-dir fuzz --target-dir $target_dir${features:+ --features $features}"
# shellcheck disable=SC2086
cargo fuzz build $flags

mkdir -p fuzz/logs
failed=0
printf '| target | seconds | executions | exec/s | coverage (edges) | features | corpus | crashes |\n'
printf '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n'
for target in $targets; do
	corpus=fuzz/corpus/$target
	artifacts=fuzz/artifacts/$target
	log=fuzz/logs/$target.log
	mkdir -p "$corpus" "$artifacts"
	before=$(find "$artifacts" -type f | wc -l)
	start=$(date +%s)
	# shellcheck disable=SC2086
	if cargo fuzz run $flags "$target" "$corpus" -- \
		-max_total_time="$seconds" -timeout=10 -print_final_stats=1 >"$log" 2>&1; then
		:
	else
		failed=1
	fi
	elapsed=$(($(date +%s) - start))
	after=$(find "$artifacts" -type f | wc -l)
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	last=$(grep -E '^#[0-9]+.*cov: ' "$log" | tail -n 1 || true)
	cov=$(echo "$last" | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
	ft=$(echo "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
	corp=$(echo "$last" | sed -n 's/.* corp: \([0-9]*\/[0-9]*[a-zA-Z]*\).*/\1/p')
	rate=$(echo "$last" | sed -n 's/.*exec\/s: \([0-9]*\).*/\1/p')
	crashes=$((after - before))
	printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$target" "$elapsed" "${runs:-?}" \
		"${rate:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$crashes"
	if [ "$crashes" -gt 0 ]; then
		failed=1
		ls -t "$artifacts" | head -n "$crashes" | sed "s|^|  $artifacts/|" >&2
		grep -E 'panicked|ERROR: libFuzzer|SUMMARY' "$log" | head -n 5 >&2 || true
	fi
done
exit $failed
