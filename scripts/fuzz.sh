#!/usr/bin/env bash
# Builds and runs the libFuzzer targets of tests/fuzz (clang, ASan + UBSan) into build-fuzz/.
#   scripts/fuzz.sh TARGET SECONDS     TARGET: amount | utf8 | text_layer | extract | page_images
#   scripts/fuzz.sh all SECONDS        every target, one after the other, SECONDS each
# Each target runs on its working corpus build-fuzz/corpus/TARGET/ (seeded from
# testdata/fuzz-seeds/TARGET/ and, for extract, the small PDFs of testdata/); the corpus grows
# from run to run. A crash, timeout, out-of-memory or failed invariant is saved to
# build-fuzz/crashes/ and makes the script exit 1. Reproduce one with
#   build-fuzz/tests/fuzz/fuzz_TARGET build-fuzz/crashes/FILE
# Environment: FUZZ_JOBS (build jobs, default: nproc), FUZZ_BUILD (default: build-fuzz).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
all_targets=(amount utf8 text_layer extract page_images)

usage() {
  echo "usage: scripts/fuzz.sh {all|${all_targets[*]// /|}} SECONDS" >&2
  exit 2
}
[ $# -eq 2 ] || usage
[[ "$2" =~ ^[1-9][0-9]*$ ]] || usage
seconds=$2
if [ "$1" = all ]; then
  targets=("${all_targets[@]}")
else
  t=${1#fuzz_}
  [[ " ${all_targets[*]} " == *" $t "* ]] || usage
  targets=("$t")
fi

# The project's own packages, then the fuzzing toolchain: libFuzzer and the sanitizer runtimes
# are in libclang-rt-16-dev, llvm-symbolizer (readable stacks) in llvm-16. Clang 16, not
# Debian 12's default clang 14: stages/check/checker.cpp captures a structured binding in a lambda
# (C++20, P1091), which clang supports only from version 16.
bash "$here/scripts/setup.sh"
. "$here/scripts/lib/apt.sh"
apt_ensure fuzz clang-16 libclang-rt-16-dev llvm-16

build=${FUZZ_BUILD:-$here/build-fuzz}
CC=clang-16 CXX=clang++-16 cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DJUESUAN_FUZZ=ON -DBUILD_TESTING=OFF >/dev/null
start=$(date +%s)
cmake --build "$build" -j"${FUZZ_JOBS:-$(nproc)}" --target "${targets[@]/#/fuzz_}"
echo "fuzz: build took $(($(date +%s) - start)) s" >&2

mkdir -p "$build/crashes" "$build/logs"
# Leaks inside Tesseract/Poppler's process-lifetime caches are not ours to report.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export ASAN_SYMBOLIZER_PATH=${ASAN_SYMBOLIZER_PATH:-$(command -v llvm-symbolizer-16 || command -v llvm-symbolizer || true)}
export OMP_THREAD_LIMIT=1

failed=()
for t in "${targets[@]}"; do
  corpus=$build/corpus/$t
  mkdir -p "$corpus"
  # The seeds are copied in, not used in place: libFuzzer writes new inputs to the first
  # corpus directory, and testdata/ stays as committed.
  if [ -d "$here/testdata/fuzz-seeds/$t" ]; then cp -n "$here/testdata/fuzz-seeds/$t"/* "$corpus"/; fi
  flags=(-timeout=10 -rss_limit_mb=2048 -max_len=4096)
  case $t in
    extract)
      # The small PDFs of testdata/ (the scans are too big to mutate quickly).
      find "$here/testdata" -maxdepth 1 -name '*.pdf' -size -64k -exec cp -n {} "$corpus"/ \;
      flags=(-timeout=30 -rss_limit_mb=3072 -max_len=65536 -dict="$here/tests/fuzz/pdf.dict") ;;
    amount) flags+=(-dict="$here/tests/fuzz/amount.dict") ;;
    # Whole small images (the seeds are 1-12 KB PNG, JPEG and TIFF pages).
    page_images) flags=(-timeout=10 -rss_limit_mb=2048 -max_len=16384) ;;
  esac
  log=$build/logs/$t.log
  echo "fuzz: $t for ${seconds} s (log: $log)" >&2
  rc=0
  "$build/tests/fuzz/fuzz_$t" "${flags[@]}" -max_total_time="$seconds" -detect_leaks=0 \
    -print_final_stats=1 -artifact_prefix="$build/crashes/$t-" "$corpus" >"$log" 2>&1 || rc=$?
  # libFuzzer prints its final stats only when it ends cleanly; after a crash the last "#N"
  # progress line has the count.
  runs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | grep -o '[0-9]*$' ||
         grep -oE '^#[0-9]+' "$log" | tail -1 | tr -d '#')
  echo "fuzz: $t: exit $rc, $runs executions, corpus $(find "$corpus" -type f | wc -l) files" >&2
  if [ "$rc" -ne 0 ]; then
    failed+=("$t")
    # The report (sanitizer output, failed invariant, timeout or out-of-memory), then the input.
    awk '/==[0-9]+==ERROR|runtime error|invariant failed|unexpected exception|ALARM|out-of-memory/ {on = 1}
         on && n++ < 45' "$log" >&2
    grep -m1 'Test unit written to' "$log" >&2 || tail -20 "$log" >&2
  fi
done
if ((${#failed[@]})); then
  echo "fuzz: FAILED: ${failed[*]} (inputs in $build/crashes/)" >&2
  exit 1
fi
echo "fuzz: ${targets[*]}: no crash" >&2
