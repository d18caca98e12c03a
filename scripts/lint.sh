#!/usr/bin/env bash
# The style checks of docs/development.md ("Format and lint").
#   scripts/lint.sh format [FILE...]   clang-format --dry-run --Werror (default: every C++ file)
# Run by ctest (label lint) over the whole tree; a file that differs from .clang-format fails.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

cpp_files() {  # every C++ source of the repository but the lint fixtures and the fuzz corpus
  find src include tests bench -type f \( -name '*.cpp' -o -name '*.hpp' \) \
    -not -path 'tests/lint/*' -not -path '*/corpus/*' -not -path '*/node_modules/*' | sort
}

command=${1:-}
shift || true
case "$command" in
  format)
    command -v clang-format >/dev/null || { echo "lint: clang-format is missing (scripts/install-deps.sh installs it)" >&2; exit 1; }
    if (($# == 0)); then mapfile -t files < <(cpp_files); else files=("$@"); fi
    if ! clang-format --dry-run --Werror "${files[@]}"; then
      echo "lint: the files above differ from .clang-format; fix with: clang-format -i FILE" >&2
      exit 1
    fi
    echo "lint: format ok (${#files[@]} files)"
    ;;
  *)
    echo "usage: scripts/lint.sh format [FILE...]" >&2
    exit 2
    ;;
esac
