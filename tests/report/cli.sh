#!/bin/bash
# cli.sh REPORT: dbsweep-report as scripts use it: exit codes (0 equal / fine,
# 1 differ / finding, 2 error) and clear file:line messages on bad input.
# Ends with "report-cli: N passed, N failed".
set -uo pipefail
report=$1
data=$(cd "$(dirname "$0")" && pwd)/data
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/../checks.sh"
expect() { # WHAT CODE CMD...: the command exits with CODE
    local what=$1 code=$2 rc
    shift 2
    "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    if [ "$rc" -eq "$code" ]; then ok "$what"
    else bad "$what (exit $rc, wanted $code)"; sed 's/^/# /' "$tmp/err"; fi
}
has() { # WHAT FILE TEXT
    if grep -qF -- "$3" "$2"; then ok "$1"
    else bad "$1 (no '$3')"; fi
}

expect "diff of a file with itself exits 0" 0 "$report" diff "$data/tcg-amd.csv" "$data/tcg-amd.csv"
expect "diff of two runs that differ exits 1" 1 "$report" diff "$data/tcg-amd.csv" "$data/kvm-seed-bug.csv"
has "diff shows the seed case's DR6 on both sides" "$tmp/out" "B: #DB@6 BS, #DB@7 BS, #DB@8 BS"
expect "diff --group limits the comparison" 0 "$report" diff "$data/tcg-amd.csv" "$data/kvm-seed-bug.csv" --group ssbp
expect "summary exits 0" 0 "$report" summary "$data/tcg-amd.csv" "$data/kvm-seed-bug.csv"
has "summary names the hypervisor" "$tmp/out" "hypervisor KVMKVMKVM"
expect "check of a good file exits 0" 0 "$report" check "$data/tcg-intel.csv"
sed 's/^\(kut.hw_bp1,kut,0,0,.*\),match,/\1,mismatch,/' "$data/tcg-intel.csv" >"$tmp/lie.csv"
expect "check of a file with a false verdict exits 1" 1 "$report" check "$tmp/lie.csv"
has "check names file and line" "$tmp/out" "lie.csv:37: kut.hw_bp1 verdict: stored 'mismatch', re-judged 'match'"
expect "check of a schema-1 file judged by model 1 re-judges it (exit 1)" 1 "$report" check "$data/tcg-amd.csv"
has "and names the model that judged it" "$tmp/out" "(the file was judged by dbsweep-model 1)"
head -c 3000 "$data/tcg-amd.csv" >"$tmp/cut.csv"
expect "a file cut mid-line is an error (exit 2)" 2 "$report" summary "$tmp/cut.csv"
has "the error names the file and line" "$tmp/err" "cut.csv:"
sed 's/dbsweep-csv 1/dbsweep-csv 9/' "$data/tcg-amd.csv" >"$tmp/v9.csv"
expect "an unknown schema is an error (exit 2)" 2 "$report" diff "$data/tcg-amd.csv" "$tmp/v9.csv"
has "the error says which schema" "$tmp/err" "v9.csv:1: schema is 'dbsweep-csv 9'"
grep -v '^# status' "$data/tcg-amd.csv" >"$tmp/crashed.csv"
expect "a run that died is read (exit 0)" 0 "$report" summary "$tmp/crashed.csv"
has "and flagged INCOMPLETE" "$tmp/out" "INCOMPLETE"
expect "kut export of the seed case exits 0" 0 "$report" kut kut.singlestep_with_code_db "$data/tcg-amd.csv"
has "kut export asserts BS|B2 at the breakpoint" "$tmp/out" "dr6[0] == 0xffff4ff4 && db_addr[0] == start + 6"
expect "bad usage exits 2" 2 "$report" frobnicate
expect "a missing file exits 2" 2 "$report" summary "$tmp/nope.csv"
summary report-cli
