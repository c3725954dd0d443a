#!/usr/bin/env bash
# Set-up command 2: install, build, and run the whole test suite (unit + end-to-end).
# JUESUAN_SANITIZE=1 builds into build-asan/ with AddressSanitizer + UndefinedBehaviorSanitizer.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bash "$here/scripts/setup.sh"
build=build
flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo)
if [ "${JUESUAN_SANITIZE:-0}" = 1 ]; then
  build=build-asan
  flags+=(-DJUESUAN_SANITIZE=ON)
  # Leaks inside Tesseract/Poppler's process-lifetime caches are not ours to report.
  export ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
fi
cmake -S "$here" -B "$here/$build" "${flags[@]}" >/dev/null
cmake --build "$here/$build" -j"$(nproc)"
ctest --test-dir "$here/$build" --output-on-failure -j"$(nproc)"
