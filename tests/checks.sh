# Sourced by the test scripts: one "ok - WHAT" or "FAIL - WHAT" line per
# check, then the "NAME: N passed, N failed" line that tests/run.sh adds up.
pass=0 fail=0
ok() { echo "ok - $*"; pass=$((pass + 1)); }
bad() { echo "FAIL - $*"; fail=$((fail + 1)); }
check() { local what=$1; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }
# summary NAME [NOTE]: the closing line; fails when a check did
summary() { echo "$1: $pass passed, $fail failed${2:+ ($2)}"; [ "$fail" -eq 0 ]; }
