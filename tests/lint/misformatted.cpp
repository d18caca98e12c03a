// A file that differs from .clang-format on purpose: the lint test format_check_catches_a_misformatted_file
// runs scripts/lint.sh on it and must fail, so the format check is known to be able to fail.
int   answer( ){return 42 ;}
