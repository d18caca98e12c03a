#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz, preset `fuzz`: clang-14, ASan + UBSan) and runs each
# for SECONDS (default 60), two at a time, on a scratch copy of its corpus: what a run finds is
# never written into the repository. Fails on any crash, leak, sanitizer report or broken
# invariant, and prints the reproducer. docs/fuzzing.md.
#   scripts/fuzz.sh                the short run (CI, through scripts/test.sh)
#   scripts/fuzz.sh 3600           the long one
#   scripts/fuzz.sh 600 query      some targets only
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

seconds=${1:-60}
targets=(request_bytes request_body query grid_code grid_import image)
if [[ $# -gt 1 ]]; then targets=("${@:2}"); fi
parallel=2  # the CI machine has two cores

./scripts/npm-ci.sh src/web  # configuring builds the browser code too
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$parallel"

work=$(mktemp -d /tmp/gridcase-fuzz.XXXXXX)
echo "fuzz: ${#targets[@]} targets, ${seconds}s each, $parallel at a time; work in $work"

run() {
  local target=$1 dir="$work/$1"
  mkdir -p "$dir/corpus" "$dir/artifacts"
  cp tests/fuzz/corpus/"$target"/* "$dir/corpus/"
  local dict=()
  [[ -f tests/fuzz/$target.dict ]] && dict=(-dict="tests/fuzz/$target.dict")
  # -rss_limit_mb: the largest body (32 MiB import limit) parsed as JSON stays well below it.
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ASAN_OPTIONS=detect_leaks=1 \
    build/fuzz/tests/fuzz/fuzz_"$target" "$dir/corpus" "${dict[@]}" \
    -max_total_time="$seconds" -max_len=16384 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$dir/artifacts/" >"$dir/log" 2>&1
}

status=0
for ((i = 0; i < ${#targets[@]}; i += parallel)); do
  pids=()
  for target in "${targets[@]:i:parallel}"; do
    run "$target" &
    pids+=("$!:$target")
  done
  for entry in "${pids[@]}"; do
    pid=${entry%%:*} target=${entry#*:}
    log="$work/$target/log"
    if wait "$pid"; then
      execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
      rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
      cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+/[0-9]+[a-zA-Z]*' "$log" | tail -1)
      echo "fuzz: $target ok: $execs runs, $rate/s, $cov"
    else
      status=1
      echo "fuzz: $target FAILED; log: $log" >&2
      grep -E 'ERROR|SUMMARY|invariant|runtime error|Test unit written' "$log" | head -20 >&2 || true
      for artifact in "$work/$target"/artifacts/*; do
        [[ -e "$artifact" ]] || continue
        echo "fuzz: reproduce with: build/fuzz/tests/fuzz/fuzz_$target $artifact" >&2
      done
    fi
  done
done
if [[ $status -eq 0 ]]; then rm -rf "$work"; fi
exit "$status"
