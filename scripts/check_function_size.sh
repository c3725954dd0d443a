#!/usr/bin/env bash
# Lists every function in pipeline/ and stages/ longer than LIMIT lines (default 80), with
# clang-tidy's readability-function-size over the build's compile_commands.json. Exit 1 when
# one is found. A refactor keeps this list empty (README, "Architecture").
#   bash scripts/check_function_size.sh [BUILD_DIR] [LIMIT]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
limit=${2:-80}
command -v clang-tidy >/dev/null || { echo "check_function_size: clang-tidy is not installed" >&2; exit 2; }
[ -f "$build/compile_commands.json" ] || { echo "check_function_size: no $build/compile_commands.json (build first)" >&2; exit 2; }
cd "$here"
files=$(git ls-files 'pipeline/*.cpp' 'stages/*.cpp')
out=$(printf '%s\n' $files | xargs -P "$(nproc)" -n 4 clang-tidy -p "$build" --quiet \
  -checks='-*,readability-function-size' \
  -config="{CheckOptions: [{key: readability-function-size.LineThreshold, value: $limit}]}" 2>/dev/null |
  grep -E 'warning: function .* exceeds|note: [0-9]+ lines including' || true)
if [ -n "$out" ]; then
  echo "$out"
  exit 1
fi
echo "check_function_size: no function in pipeline/ or stages/ is longer than $limit lines"
