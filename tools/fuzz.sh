#!/bin/sh
# Builds the libFuzzer targets (linux-fuzz preset, clang) and runs each for a bounded time.
# Usage: tools/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]   (default: 30 s, every target)
# With VTSUBMIT_FUZZ_RUNS=N in the environment, each target also stops after N executions,
# whichever comes first (the long run recorded in docs/reliability.md used N=10500000).
# New inputs that reach more code go to build/linux-fuzz/corpus/<target>, never into the seed
# corpus tests/fuzz/corpus; a crash leaves crash-* files in build/linux-fuzz/artifacts and
# makes the script fail. Each target's last libFuzzer status line is printed, with its number of
# executions ("#N").
set -eu

source_dir=$(cd "$(dirname "$0")/.." && pwd)
cd "$source_dir"

seconds=${1:-30}
[ $# -gt 0 ] && shift
targets=${*:-"ksh_init bat_init queue_file cmdline_tail pending_report"}

cmake --preset linux-fuzz >/dev/null
cmake --build --preset linux-fuzz

# Absolute paths: the init-file targets change to an empty folder before libFuzzer reads them.
build=$source_dir/build/linux-fuzz
mkdir -p "$build/artifacts"
status=0
for target in $targets; do
  work_corpus="$build/corpus/$target"
  mkdir -p "$work_corpus"
  log="$build/fuzz_$target.log"
  # -rss_limit_mb and -timeout turn a runaway input (memory or a loop) into a reported failure.
  if ! "$build/tests/fuzz/fuzz_$target" -max_total_time="$seconds" -runs="${VTSUBMIT_FUZZ_RUNS:--1}" \
      -timeout=10 -rss_limit_mb=2048 \
      -max_len=65536 -print_final_stats=1 -artifact_prefix="$build/artifacts/$target-" \
      "$work_corpus" "$source_dir/tests/fuzz/corpus/$target" >"$log" 2>&1; then
    echo "fuzz_$target: FAILED, see $log and $build/artifacts" >&2
    tail -40 "$log" >&2
    status=1
  fi
  runs=$(grep -o '^stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  # libFuzzer ends with "Done N runs in S second(s)"; a crash ends the run before that line.
  elapsed=$(grep -o '^Done [0-9]* runs in [0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  echo "fuzz_$target: $runs executions in $elapsed s"
done
exit $status
