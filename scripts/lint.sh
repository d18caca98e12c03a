#!/usr/bin/env bash
# The style checks of docs/development.md ("Format and lint").
#   scripts/lint.sh format [FILE...]   clang-format --dry-run --Werror (default: every C++ file)
#   scripts/lint.sh tidy [--changed BASE] [FILE...]
#                                      clang-tidy with .clang-tidy over build/tidy's compile
#                                      database (default: every .cpp of src/; with
#                                      --changed, the .cpp files changed since git BASE and, per
#                                      changed header, one .cpp including it).
#                                      GRIDCASE_TIDY_JOBS (default nproc).
# format runs by ctest (label lint) over the whole tree; scripts/test.sh runs tidy --changed.
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
  tidy)
    tidy=$(command -v clang-tidy-14 || command -v clang-tidy) ||
      { echo "lint: clang-tidy is missing (scripts/install-deps.sh installs it)" >&2; exit 1; }
    base=
    if [[ "${1:-}" == --changed ]]; then
      base=${2:?"usage: scripts/lint.sh tidy --changed BASE"}
      shift 2
    fi
    if [[ -n "$base" ]]; then
      # The fresh-Debian check builds from `git archive`: no history, nothing to compare with.
      if ! git rev-parse --git-dir >/dev/null 2>&1; then
        echo "lint: tidy --changed $base skipped: no git repository here (an archive checkout)"
        exit 0
      fi
      if ! git rev-parse --verify --quiet "$base^{commit}" >/dev/null; then
        if [[ "$(git rev-parse --is-shallow-repository)" == true ]]; then
          echo "lint: tidy --changed $base skipped: a shallow clone without $base"
          exit 0
        fi
        echo "lint: $base is not a commit" >&2
        exit 2
      fi
    fi
    # The compile database of the tidy preset: no precompiled header, so a missing include
    # fails here. Only the generated headers are built, not the libraries.
    ./scripts/npm-ci.sh src/web  # the generated headers include the built browser code
    if [[ ! -f build/tidy/compile_commands.json ]]; then cmake --preset tidy >/dev/null; fi
    cmake --build build/tidy --target gridcase_generated >/dev/null
    database_files() {  # the server's translation units; asio_impl.cpp only compiles Boost's
      sed -n 's/^ *"file": "\(.*\)",\{0,1\}$/\1/p' build/tidy/compile_commands.json |
        sed "s|^$root/||" | grep -E '^src/' | grep -v '^src/http/asio_impl.cpp$' | sort -u
    }
    if [[ -n "$base" ]]; then
      mapfile -t changed < <(git diff --name-only --diff-filter=d "$base" -- src include)
      files=()
      for path in "${changed[@]}"; do
        case "$path" in
          *.cpp) files+=("$path") ;;
          # A header is checked through one source that includes it (HeaderFilterRegex): the
          # .cpp of the same name, else the first one naming it. One, so CI stays short.
          *.hpp)
            stem=$(basename "$path" .hpp)
            source=$(find src -name "$stem.cpp" | sort | head -1)
            # A header only other headers include has no source of its own to check it by.
            [[ -n "$source" ]] || source=$(grep -rlE "#include [<\"]([^\">]*/)?$stem\.hpp[\">]" \
              src --include='*.cpp' | sort | head -1 || true)
            [[ -z "$source" ]] || files+=("$source")
            ;;
        esac
      done
      # Only what the database compiles (not the lint fixtures, not a deleted file).
      mapfile -t files < <(comm -12 <(printf '%s\n' "${files[@]}" | sort -u) <(database_files))
      if ((${#files[@]} == 0)); then
        echo "lint: tidy ok (no C++ source changed since $base)"
        exit 0
      fi
    elif (($# == 0)); then
      mapfile -t files < <(database_files)
    else
      files=("$@")
    fi
    tidy_one() {  # a file's findings printed in one piece, so parallel runs do not interleave
      local out
      out=$("$tidy" -p build/tidy --quiet "$1" 2>&1) && return 0
      grep -v ' warnings\{0,1\} generated\.$' <<<"$out" >&2
      return 1
    }
    export -f tidy_one
    export tidy
    if ! printf '%s\0' "${files[@]}" |
      xargs -0 -n 1 -P "${GRIDCASE_TIDY_JOBS:-$(nproc)}" bash -c 'tidy_one "$1"' _; then
      echo "lint: clang-tidy found the problems above (.clang-tidy; docs/development.md)" >&2
      exit 1
    fi
    echo "lint: tidy ok (${#files[@]} files)"
    ;;
  *)
    echo "usage: scripts/lint.sh format [FILE...] | tidy [--changed BASE] [FILE...]" >&2
    exit 2
    ;;
esac
