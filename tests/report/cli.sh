#!/bin/bash
# cli.sh REPORT: dbsweep-report (and dbsweep-list beside it) as scripts and
# CI use them: exit codes (0 fine, 1 a finding, 2 an error), options in any
# place, --help/--version, -o, gzip input, file:line messages on bad input,
# verdicts that JSON and XML parsers accept.
# Ends with "report-cli: N passed, N failed".
set -uo pipefail
report=$1
list=$(dirname "$report")/dbsweep-list
extract=$(dirname "$report")/dbsweep-serial-extract
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

expect "diff --stat exits 1 on runs that differ" 1 "$report" diff --stat "$amd" "$kvm"
has "and prints the counts per group and kind" "$tmp/out" "group         cases   same  events  verdict  only A  only B"
check "but no case" bash -c "! grep -q 'events differ' '$tmp/out'"
expect "diff --quiet exits 1 on runs that differ" 1 "$report" diff --quiet "$amd" "$kvm"
check "and prints nothing" test ! -s "$tmp/out"
expect "diff -q of a file with itself exits 0" 0 "$report" diff -q "$amd" "$amd"
expect "diff --events-only of the same events judged by other rules exits 0" 0 \
    "$report" diff --events-only "$amd2" "$intel"
has "and counts what it hides" "$tmp/out" "34 in the verdict only, not shown)"
grep -v '^kut.icebp,' "$amd" >"$tmp/no-icebp.csv"
expect "diff of runs where one lacks a case exits 1" 1 "$report" diff "$amd" "$tmp/no-icebp.csv"
expect "diff --common compares the cases both have (exit 0)" 0 \
    "$report" diff --common "$amd" "$tmp/no-icebp.csv"
has "and says what it left out" "$tmp/out" "not compared (--common): 1 cases only in A, 0 only in B"
# the committed AMD and Intel runs: 32-bit cases decode as 32-bit code
results=("$root"/results/amd-*-20261129-*.csv.gz "$root"/results/intel-*-20261129-*.csv.gz)
expect "diff of the committed AMD and Intel runs exits 1" 1 "$report" diff "${results[@]}"
check "without a '(bad)' line (k32/u32 bytes disassembled as 32-bit code)" \
    test "$(grep -c '(bad)' "$tmp/out")" -eq 0
has "u32 code addresses through edi" "$tmp/out" "mov ss,WORD PTR [edi+0x8]"

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
expect "verdicts --format xml is bad usage" 2 "$report" verdicts -f xml "$amd"
has "naming the option" "$tmp/err" "--format 'xml': not json, tap or junit"
# a run that died: a failing test naming the file, in every format
grep -v '^# status' "$intel" >"$tmp/died.csv"
for format in tap json junit; do
    expect "verdicts --format $format of an incomplete run exits 1" 1 \
        "$report" verdicts -f "$format" "${known[@]}" "$tmp/died.csv"
    has "with a failing test that names it" "$tmp/out" "$tmp/died.csv is incomplete: no "
    expect "unless --allow-incomplete (exit 0)" 0 \
        "$report" verdicts -f "$format" --allow-incomplete "${known[@]}" "$tmp/died.csv"
done
has "KTAP: a complete file passes its 'complete' test" "$tmp/fail.tap" "  ok 4 complete"
"$report" verdicts -f tap "${known[@]}" "$tmp/died.csv" >"$tmp/died.tap" 2>"$tmp/died.err"
has "KTAP: not ok" "$tmp/died.tap" "  not ok 4 complete # $tmp/died.csv is incomplete"
has "and stderr says so" "$tmp/died.err" "verdicts: $tmp/died.csv is incomplete"
"$report" verdicts -f junit "${known[@]}" "$tmp/died.csv" >"$tmp/died.xml"
has "JUnit: a <failure>" "$tmp/died.xml" '<failure type="incomplete" message="'"$tmp/died.csv is incomplete"
"$report" verdicts -f json "${known[@]}" "$tmp/died.csv" >"$tmp/died.json"
check "JSON: completeness fails, and so does the run" python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))["runs"][0]
sys.exit(not (r["completeness"]["result"] == "fail" and r["result"] == "fail"))' "$tmp/died.json"
expect "verdicts --strict fails a listed case that matches (XPASS)" 1 \
    "$report" verdicts -f tap --strict "$intel" "${known[@]}"
has "naming it" "$tmp/out" "unexpectedly passing (fails with --strict)"
# two run.csv of two directories: JUnit names them apart
mkdir "$tmp/m1" "$tmp/m2"
cp "$intel" "$tmp/m1/run.csv"
cp "$intel" "$tmp/m2/run.csv"
"$report" verdicts -f junit "${known[@]}" "$tmp/m1/run.csv" "$tmp/m2/run.csv" >"$tmp/two.xml"
check "JUnit suite names and (classname, name) pairs are unique across files" python3 -c '
import sys, xml.etree.ElementTree as E
root = E.parse(sys.argv[1]).getroot()
suites = [s.get("name") for s in root.findall("testsuite")]
cases = [(c.get("classname"), c.get("name")) for c in root.iter("testcase")]
sys.exit(not (len(set(suites)) == len(suites) == 8 and len(set(cases)) == len(cases)))' "$tmp/two.xml"
has "JUnit timestamp: the run's UEFI time" "$tmp/two.xml" 'timestamp="2026-12-07T06:21:36"'
check "JUnit: no time where the CSV records no end (uefi_time_end)" bash -c "! grep -q ' time=' '$tmp/two.xml'"
# a run that ended 14 s after it started, across midnight
sed -e 's/^# uefi_time: .*/# uefi_time: 2026-12-07T23:59:50/' \
    -e 's/^# status: complete/# uefi_time_end: 2026-12-08T00:00:04\n&/' "$intel" >"$tmp/timed.csv"
"$report" verdicts -f junit "$tmp/timed.csv" >"$tmp/timed.xml" 2>/dev/null
has "JUnit time: the run suite's is uefi_time_end - uefi_time" "$tmp/timed.xml" '): run" hostname="intel-6-94-3 tcg" timestamp="2026-12-07T23:59:50" time="14" '
check "JSON has format_version 2 and numbers as numbers" python3 -c '
import json, sys
v = json.load(open(sys.argv[1]))
m = v["runs"][0]["metadata"]
sys.exit(not (v["format_version"] == 2 and m["cpu_family"] == 6 and m["cpu_model"] == 94
              and m["microcode"] == 1 and v["counts"]["fail"] > 0))' "$tmp/fail.json"
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

# --- many files ----------------------------------------------------------------
# a lab's machines: more files than the 64 the tool once took, in one pass
many=()
for i in $(seq 70); do many+=("$amd"); done
expect "summary of 70 files exits 0" 0 "$report" summary "${many[@]}"
check "and summarizes each" test "$(grep -c '^== .*\[complete\]' "$tmp/out")" -eq 70
expect "verdicts of 70 files (with mismatches) exits 1" 1 "$report" verdicts -f tap "${many[@]}"
check "with a test per file" grep -qx 'not ok 70 tcg-amd.csv' "$tmp/out"
expect "matrix of 70 files exits 0" 0 "$report" matrix "${many[@]}"
check "with a column per file" test "$(grep -o '{"label":' "$tmp/out" | wc -l)" -eq 70
# memory does not grow with the number of files: peak RSS over 40 copies
# of a full sweep against 4 copies (each ~25 MB when every file was kept)
zcat "$(ls "$root"/results/*.csv.gz | tail -1)" >"$tmp/full.csv"
peak_kb() { # CMD...: the command's peak RSS in KiB
    python3 -c 'import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "$@"
}
rss_bounded() { # CMD...: 40 files take less than 3 times the memory of 4 (10 times when kept)
    local four=() forty=() i
    for i in $(seq 4); do four+=("$tmp/full.csv"); done
    for i in $(seq 40); do forty+=("$tmp/full.csv"); done
    a=$(peak_kb "$report" "$@" "${four[@]}") b=$(peak_kb "$report" "$@" "${forty[@]}")
    echo "# $*: $a KiB over 4 full CSVs, $b KiB over 40"
    [ "$b" -lt $((3 * a)) ]
}
for cmd in summary matrix "verdicts -f tap"; do
    # shellcheck disable=SC2086 # the command's words
    check "$cmd over 40 full CSVs stays under 3 times its memory over 4" rss_bounded $cmd
done

# --- per-core files (cores=all) ----------------------------------------------
# tcg-intel.csv as four cores of one run (APIC IDs 0 2 4 6, the last two
# Atom cores), metadata edited as the app writes it; cpu 4 saw BS without
# B2 in the seed case, cpu 6 timed out before the shadow cases
for k in 0 1 2 3; do
    type=core; [ "$k" -ge 2 ] && type=atom
    sed "s/^# apic_id: 0\$/# apic_id: $((2 * k))/
         s/^# core_type: not hybrid\$/# core_type: $type\n# cores: all\n# cpu_index: $k/" \
        "$intel" >"$tmp/intel-cpu$((2 * k)).csv"
done
sed -i '0,/,0x102,0xffff4ff4,0x420,1,6,0xffff4ff4,match,/s//,0x102,0xffff4ff0,0x420,1,6,0xffff4ff4,mismatch,/' \
    "$tmp/intel-cpu4.csv"
sed -i '/^shadow\./d; s/^# status: complete$/# timeout_case: shadow.movss_reg.shadowed.nop\n# status: timeout/' \
    "$tmp/intel-cpu6.csv"
gzip "$tmp/intel-cpu2.csv"
cores=("$tmp/intel-cpu0.csv" "$tmp/intel-cpu2.csv.gz" "$tmp/intel-cpu4.csv" "$tmp/intel-cpu6.csv")
expect "summary of a run's cores where one differs and one timed out exits 1" 1 \
    "$report" summary "${cores[@]}"
has "and says the timed-out core is incomplete" "$tmp/out" "intel-cpu6.csv  [INCOMPLETE: status timeout]"
has "compares the cores with the first given" "$tmp/out" "cores:    4 files of one run (cores=all"
has "lists the one that agrees" "$tmp/out" "  agree: cpu 2 (core)"
has "names the case the other differs in" "$tmp/out" \
    "  cpu 4 (atom): 1 of 54 cases compared differ: kut.singlestep_with_code_db"
has "and where the timed-out one stopped" "$tmp/out" "INCOMPLETE (status timeout in shadow.movss_reg.shadowed.nop)"
has "and what it did not run" "$tmp/out" "2 of cpu 0 (core)'s cases not run"
expect "summary of two cores that agree exits 0" 0 "$report" summary "${cores[@]:0:2}"
expect "diff of two cores of one run exits 1 when they differ" 1 \
    "$report" diff "${cores[0]}" "${cores[2]}"
has "and says which cores it compares" "$tmp/out" \
    "A, B: cpu 0 (core) and cpu 4 (atom) of one run (cores=all)"
expect "matrix of the four cores exits 0" 0 "$report" matrix "${cores[@]}"
check "with a column per core, titled by its core" \
    test "$(grep -o '"title":"intel-6-94-3 tcg cpu [0246] ([a-z]*)"' "$tmp/out" | sort -u | wc -l)" -eq 4

# --- conventions -------------------------------------------------------------
expect "--help exits 0" 0 "$report" --help
has "--help goes to stdout and explains the exit status" "$tmp/out" "exit status:"
has "--help says an unexpected pass fails under --strict" "$tmp/out" "with --strict, a"
expect "diff --help exits 0" 0 "$report" diff --help
has "with diff's usage" "$tmp/out" "usage: dbsweep-report diff A B"
check "not the general one" bash -c "! grep -q '^commands:' '$tmp/out'"
expect "--help after the files works too" 0 "$report" verdicts "$amd" --help
has "verdicts' help names --strict" "$tmp/out" "--strict"
check "and not diff's options" bash -c "! grep -q -- '--group' '$tmp/out'"
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
has "naming the option" "$tmp/err" "matrix does not take --group"
expect "'-' reads a CSV from standard input" 0 bash -c "'$report' summary - <'$amd'"
has "and calls it -" "$tmp/out" "== -  [complete]"
expect "gzip on standard input too" 0 bash -c "gzip -c '$amd' | '$report' diff - '$amd'"
expect "'-' twice is bad usage" 2 "$report" diff - - </dev/null
has "that says why" "$tmp/err" "'-' (standard input) can be read once only"
{ printf '\xef\xbb\xbf'; cat "$amd"; } >"$tmp/bom.csv"
expect "a CSV with a byte order mark is an error" 2 "$report" summary "$tmp/bom.csv"
has "that says so" "$tmp/err" "bom.csv:1: starts with a UTF-8 byte order mark"
for z in xz zstd bzip2 lz4; do
    if ! command -v "$z" >/dev/null; then ok "# SKIP $z not installed"; continue; fi
    "$z" -c <"$amd" >"$tmp/amd.$z"
    expect "$z data is an error" 2 "$report" summary "$tmp/amd.$z"
    has "that names the compressor" "$tmp/err" "amd.$z: $z-compressed data: this tool inflates gzip only"
done
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
expect "kut: the seed case has no expectation under AMD's rules: exit 2" 2 \
    "$report" kut kut.singlestep_with_code_db "$amd" -o "$tmp/kut.c"
has "naming the case and --as-recorded" "$tmp/err" "kut: kut.singlestep_with_code_db: the model has no expectation for amd"
check "and writing no file" test ! -e "$tmp/kut.c"
expect "kut --as-recorded of the seed case exits 0" 0 \
    "$report" kut --as-recorded kut.singlestep_with_code_db "$amd" -o "$tmp/kut.c"
has "it asserts BS|B2 at the breakpoint" "$tmp/kut.c" "{1, 6, 0xffff4ff4, 0x0, 0},"
has "it is a program of its own" "$tmp/kut.c" "int main(void)"
expect "kut of several cases (globs) under Intel's rules exits 0" 0 "$report" kut 'kut.hw_*' kut.icebp "$intel"
has "each case is one report line" "$tmp/out" '{.name = "kut.icebp", .run = dbs4_run,'
expect "kut: a compatibility-mode case is refused, exit 2" 2 "$report" kut 'u32.*' "$data/tcg-intel-syscall.csv"
has "by name" "$tmp/err" "kut: u32.bs3.bp_on_int.movss.syscall: kvm-unit-tests cannot express it: compatibility mode"
expect "--as-recorded is kut's option only" 2 "$report" summary --as-recorded "$amd"

# --- dbsweep-serial-extract: twice on one log -----------------------------------
python3 -c '
import sys, zlib
d = open(sys.argv[1], "rb").read()
sys.stdout.buffer.write(b"noise\nDBSWEEP BEGIN x.csv\n" + d +
                        b"DBSWEEP END %d %08x\n" % (d.count(b"\n"), zlib.crc32(d)))' "$amd" >"$tmp/plain.log"
expect "serial-extract recovers a plain frame" 0 "$extract" "$tmp/plain.log" "$tmp/sx"
expect "and again: the file there is identical (exit 0)" 0 "$extract" "$tmp/plain.log" "$tmp/sx"
has "saying so" "$tmp/out" "already there, identical"
echo changed >>"$tmp/sx/x.csv"
expect "a different file of that name is not overwritten (exit 2)" 2 \
    "$extract" "$tmp/plain.log" "$tmp/sx"
check "(still the changed one)" test "$(tail -n 1 "$tmp/sx/x.csv")" = changed

# --- dbsweep-list ------------------------------------------------------------
expect "dbsweep-list --help exits 0" 0 "$list" --help
has "on stdout" "$tmp/out" "usage: dbsweep-list"
expect "dbsweep-list --version exits 0" 0 "$list" --version
expect "dbsweep-list -o FILE GLOB" 0 "$list" -o "$tmp/kut.txt" 'kut.*'
check "writes the kut cases it counts on stderr ($(cat "$tmp/err"))" \
    test "$(wc -l <"$tmp/kut.txt") of" = "$(grep -o '^[0-9]* of' "$tmp/err")"
expect "dbsweep-list with two GLOB lists is bad usage" 2 "$list" 'kut.*' 'ss.*'
expect "dbsweep-list kut.icebp,random:7:5 lists the glob's case and the seed's five" 0 \
    "$list" -o "$tmp/random.txt" 'kut.icebp,random:7:5'
check "(kut.icebp, then random.7.0 to random.7.4)" \
    test "$(cut -f1 "$tmp/random.txt" | tr '\n' ' ')" = "kut.icebp random.7.0 random.7.1 random.7.2 random.7.3 random.7.4 "
expect "the same seed lists the same cases again, whatever N" 0 "$list" 'random:7:3'
check "(byte for byte)" cmp -s "$tmp/out" <(sed -n 2,4p "$tmp/random.txt")
expect "a malformed random:SEED:N is bad usage" 2 "$list" 'random:7:0'
has "with the application's message" "$tmp/err" "bad value for key 'cases' (expected comma-separated case globs and random:SEED:N"
summary report-cli
