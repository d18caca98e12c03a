// A deliberate clang-tidy finding (modernize-use-nullptr): the lint test
// tidy_check_catches_a_finding proves scripts/lint.sh tidy fails on a finding.
int* no_value() { return 0; }
