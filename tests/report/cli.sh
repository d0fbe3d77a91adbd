#!/bin/bash
# cli.sh REPORT: dbsweep-report (and dbsweep-list beside it) as scripts and
# CI use them: exit codes (0 fine, 1 a finding, 2 an error), options in any
# place, --help/--version, -o, gzip input, file:line messages on bad input,
# verdicts that JSON and XML parsers accept.
# Ends with "report-cli: N passed, N failed".
set -uo pipefail
report=$1
list=$(dirname "$report")/dbsweep-list
root=$(cd "$(dirname "$0")/../.." && pwd)
data=$root/tests/report/data
lists=$root/tests/e2e/tcg-known # make test's known TCG divergences, read as users read them
known=(--known "$lists/qemu-7.2.txt" --known "$lists/qemu-7.2-intel.txt")
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
json_ok() { python3 -m json.tool "$1" >/dev/null; }
xml_ok() { python3 -c 'import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])' "$1"; }

# schema 1: tcg-amd.csv and its KVM variant; schema 2: TCG under Intel's and
# AMD's rules and the KVM variant of the Intel one
amd=$data/tcg-amd.csv kvm=$data/kvm-seed-bug.csv
intel=$data/tcg-intel.csv amd2=$data/tcg-amd-model2.csv kvm2=$data/kvm-intel-seed-bug.csv

# --- diff -------------------------------------------------------------------
expect "diff of a file with itself exits 0" 0 "$report" diff "$amd" "$amd"
expect "diff of two runs that differ exits 1" 1 "$report" diff "$amd" "$kvm"
has "diff shows the seed case's DR6 on both sides" "$tmp/out" "B: #DB@6 BS, #DB@7 BS, #DB@8 BS"
has "diff names the files whole" "$tmp/out" "B: $kvm"
expect "diff of the same events judged by Intel's and AMD's rules exits 1" 1 \
    "$report" diff "$amd2" "$intel"
has "and says the verdict differs" "$tmp/out" "shadow.movss_reg.shadowed.nop  verdict differs"
expect "diff --group limits the comparison" 0 "$report" diff "$amd" "$kvm" --group ssbp
expect "an unknown --group is an error (exit 2)" 2 "$report" diff "$amd" "$kvm" --group KUT
has "which lists the groups" "$tmp/err" "the groups are: kut ssbp shadow"
expect "options go before the command too" 1 "$report" --case 'kut.*' diff "$amd" "$kvm"
has "--case keeps the cases it names" "$tmp/out" "1 of 14 cases compared differ"
# one objdump for all differing cases: a stand-in objdump on PATH counts its runs
mkdir "$tmp/bin"
printf '#!/bin/sh\necho run >>"%s/objdump-runs"\nexec %s "$@"\n' "$tmp" "$(command -v objdump)" \
    >"$tmp/bin/objdump"
chmod +x "$tmp/bin/objdump"
awk -F, 'BEGIN { OFS = "," } /^#/ || !h { h = h || !/^#/; print; next }
    { if ($10 == "0xffff4ff0") $10 = "0xffff0ff0"; print }' "$amd" >"$tmp/bs-lost.csv"
expect "diff of many differing cases exits 1" 1 env PATH="$tmp/bin:$PATH" \
    "$report" diff "$amd" "$tmp/bs-lost.csv"
check "and runs objdump once for its $(grep -c 'events differ' "$tmp/out") cases" \
    test "$(wc -l <"$tmp/objdump-runs")" -eq 1

# --- summary and verdicts --------------------------------------------------
expect "summary of complete runs exits 0" 0 "$report" summary "$amd" "$kvm"
has "summary names the hypervisor" "$tmp/out" "hypervisor KVMKVMKVM"
expect "summary --known of TCG runs with only listed mismatches exits 0" 0 \
    "$report" summary "${known[@]}" "$intel" "$amd2"
expect "summary --known of a KVM run with mismatches the TCG lists do not cover exits 1" 1 \
    "$report" summary "$kvm2" "${known[@]}"
has "and names them" "$tmp/out" "unexpected: kut.singlestep_with_code_db"
for format in tap json junit; do
    expect "verdicts --format $format with the known lists exits 0" 0 \
        "$report" verdicts "$intel" --format "$format" "${known[@]}" -o "$tmp/v.$format"
    expect "verdicts --format $format of a failing run exits 1" 1 \
        "$report" verdicts -f "$format" "$intel" "$kvm2" "${known[@]}" -o -
    cp "$tmp/out" "$tmp/fail.$format"
done
check "verdicts JSON parses (python3 -m json.tool)" json_ok "$tmp/v.json"
check "verdicts JSON of two runs parses" json_ok "$tmp/fail.json"
check "verdicts JUnit XML parses (python3 xml.etree)" xml_ok "$tmp/v.junit"
check "verdicts JUnit XML of two runs parses" xml_ok "$tmp/fail.junit"
has "KTAP marks a listed mismatch XFAIL" "$tmp/v.tap" "ok 13 kut.icebp # XFAIL known failure"
has "KTAP fails the KVM seed case" "$tmp/fail.tap" "not ok 4 kut.singlestep_with_code_db # mismatch"
check "KTAP has one plan per level and a result per case" \
    test "$(grep -c '^    \(not \)\?ok ' "$tmp/v.tap")" -eq 54
# hostile metadata stays data in JSON and XML
{ sed '/^# cpu_brand: /,$d' "$amd"
  printf '# cpu_brand: </script>"&\x27\xff]]>\n'
  sed '1,/^# cpu_brand: /d' "$amd"; } >"$tmp/hostile.csv"
expect "verdicts of a CSV with hostile metadata exits 0" 0 \
    "$report" verdicts -f json "${known[@]}" "$tmp/hostile.csv" -o "$tmp/h.json"
check "its JSON parses" json_ok "$tmp/h.json"
expect "and its JUnit" 0 "$report" verdicts -f junit "${known[@]}" "$tmp/hostile.csv" -o "$tmp/h.xml"
check "its XML parses" xml_ok "$tmp/h.xml"
expect "verdicts without --format is bad usage" 2 "$report" verdicts "$amd"
printf '[tcg\n' >"$tmp/bad-known.txt"
expect "a malformed known list is an error" 2 "$report" verdicts -f tap -k "$tmp/bad-known.txt" "$amd"
has "naming file and line" "$tmp/err" "bad-known.txt:1: a section header is"

# --- gzip ------------------------------------------------------------------
expect "summary reads the repository's results/*.csv.gz" 0 "$report" summary "$root"/results/*.csv.gz
check "every one of them" test "$(grep -c '^== .*\[complete\]' "$tmp/out")" -eq \
    "$(ls "$root"/results/*.csv.gz | wc -l)"
gzip -c "$amd" >"$tmp/amd-no-suffix"
expect "gzip is told by its bytes, not the name" 0 "$report" diff "$amd" "$tmp/amd-no-suffix"
head -c 2000 "$tmp/amd-no-suffix" >"$tmp/cut.csv.gz"
expect "a cut-off .gz is an error (exit 2)" 2 "$report" summary "$tmp/cut.csv.gz"
has "that says so" "$tmp/err" "cut.csv.gz: gzip data cut off"

# --- conventions -------------------------------------------------------------
expect "--help exits 0" 0 "$report" --help
has "--help goes to stdout and explains the exit status" "$tmp/out" "exit status:"
has "--help says an unexpected pass fails under --strict" "$tmp/out" "with --strict, a"
expect "--version exits 0" 0 "$report" --version
has "--version names the model" "$tmp/out" "reference model: dbsweep-model"
expect "check -o - writes to stdout" 0 "$report" check -o - "$intel"
has "the check line" "$tmp/out" "check: $intel: schema ok"
echo old >"$tmp/kept.txt"
expect "an error leaves the -o file as it was" 2 "$report" summary "$tmp/nope.csv" -o "$tmp/kept.txt"
check "(still 'old', no temporary left)" test "$(cat "$tmp/kept.txt"; ls "$tmp" | grep -c kept)" = "old
1"
expect "matrix -o writes the page" 0 "$report" matrix "$amd" "$kvm" -o "$tmp/m.html"
check "a whole page" grep -q '</html>' "$tmp/m.html"
expect "an option a command does not take is bad usage" 2 "$report" matrix --group kut "$amd"
expect "an unknown option is bad usage" 2 "$report" summary --frobnicate "$amd"
expect "an unknown command is bad usage" 2 "$report" frobnicate
expect "a missing file exits 2" 2 "$report" summary "$tmp/nope.csv"

# the man pages: groff finds nothing to warn about, and they name every
# long option --help names
man_ok() { # TOOL PAGE
    local opt missing=0
    [ -z "$(LC_ALL=C.UTF-8 groff -man -ww -z -K utf8 "$2" 2>&1)" ] || return 1
    for opt in $("$1" --help | grep -o -- '--[a-z]*' | sort -u); do
        grep -qF -- "\\-\\-${opt#--}" "$2" || { echo "# $2 lacks $opt"; missing=1; }
    done
    return "$missing"
}
check "docs/man/dbsweep-report.1 is clean and names every option" \
    man_ok "$report" "$root/docs/man/dbsweep-report.1"
check "docs/man/dbsweep-list.1 is clean and names every option" \
    man_ok "$list" "$root/docs/man/dbsweep-list.1"

# --- the other readers' errors (unchanged) ------------------------------------
expect "check of a good file exits 0" 0 "$report" check "$intel"
sed 's/^\(kut.hw_bp1,kut,0,0,.*\),match,/\1,mismatch,/' "$intel" >"$tmp/lie.csv"
expect "check of a file with a false verdict exits 1" 1 "$report" check "$tmp/lie.csv"
has "check names file and line" "$tmp/out" "lie.csv:38: kut.hw_bp1 verdict: stored 'mismatch', re-judged 'match'"
expect "check of a schema-1 file judged by model 1 re-judges it (exit 1)" 1 "$report" check "$amd"
has "and names the model that judged it" "$tmp/out" "(the file was judged by dbsweep-model 1)"
head -c 3000 "$amd" >"$tmp/cut.csv"
expect "a file cut mid-line is an error (exit 2)" 2 "$report" summary "$tmp/cut.csv"
has "the error names the file and line" "$tmp/err" "cut.csv:"
sed 's/dbsweep-csv 1/dbsweep-csv 9/' "$amd" >"$tmp/v9.csv"
expect "an unknown schema is an error (exit 2)" 2 "$report" diff "$amd" "$tmp/v9.csv"
has "the error says which schema" "$tmp/err" "v9.csv:1: schema is 'dbsweep-csv 9'"
grep -v '^# status' "$amd" >"$tmp/crashed.csv"
expect "a run that died is read, and summary exits 1" 1 "$report" summary "$tmp/crashed.csv"
has "flagged INCOMPLETE" "$tmp/out" "INCOMPLETE"
expect "kut export of the seed case exits 0" 0 "$report" kut kut.singlestep_with_code_db "$amd"
has "kut export asserts BS|B2 at the breakpoint" "$tmp/out" "dr6[0] == 0xffff4ff4 && db_addr[0] == start + 6"

# --- dbsweep-list ------------------------------------------------------------
expect "dbsweep-list --help exits 0" 0 "$list" --help
has "on stdout" "$tmp/out" "usage: dbsweep-list"
expect "dbsweep-list --version exits 0" 0 "$list" --version
expect "dbsweep-list -o FILE GLOB" 0 "$list" -o "$tmp/kut.txt" 'kut.*'
check "writes the kut cases it counts on stderr ($(cat "$tmp/err"))" \
    test "$(wc -l <"$tmp/kut.txt") of" = "$(grep -o '^[0-9]* of' "$tmp/err")"
expect "dbsweep-list with two GLOB lists is bad usage" 2 "$list" 'kut.*' 'ss.*'
summary report-cli
