#!/bin/bash
# figures.sh REPORT LIST TEST_MODEL DOC...: every marked figure of the DOCs is what
# tools/figures.sh computes from the committed results (results/), and the
# checker itself fails where it must: a wrong figure, an unknown key, a
# marker with no figure, a stale console block; --update repairs them.
set -uo pipefail
report=$1 list=$2 model_test=$3
shift 3
here=$(cd "$(dirname "$0")" && pwd)
figures=$here/../tools/figures.sh
. "$here/checks.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# 1. The documents against the committed results.
if "$figures" --report "$report" --list-tool "$list" --model-test "$model_test" --check "$@" >"$work/out" 2>&1; then
    ok "the figures of $* are the committed results' ($(cat "$@" | grep -o '<!--fig' | wc -l) markers)"
else
    bad "the figures of $* are the committed results': $(cat "$work/out")"
fi

# 2. The checker, on a small results directory: one TCG sweep (a fixture
# run of 54 cases, made a full sweep by its selection line).
mkdir "$work/res"
sed 's/^# selection: .*/# selection: */' "$here/report/data/tcg-amd-model2.csv" \
    >"$work/res/amd-15-107-1-tcg-20261129-223822.csv"
fig() { "$figures" --report "$report" --list-tool "$list" --model-test "$model_test" --results "$work/res" "$@"; }
fig --list >"$work/list"
val() { awk -F'\t' -v k="$1" '$1 == k {print $2}' "$work/list"; }
check "the fixture's figures: 54 cases, 9 mismatches, 489 rows" \
    [ "$(val qemu-7.2.amd.cases)/$(val qemu-7.2.amd.mismatch)/$(val qemu-7.2.amd.rows)" = 54/9/489 ]

cat >"$work/good.md" <<EOF
All $(val qemu-7.2.amd.cases)<!--fig:qemu-7.2.amd.cases--> cases, $(val qemu-7.2.amd.mismatch)<!--fig:qemu-7.2.amd.mismatch--> mismatches.

<!--fig-block:console.qemu-7.2.amd-->

$(fig --list | sed -n '/^block console.qemu-7.2.amd:$/,/powering off/{/^block/d;p}')

The end.
EOF
check "--check passes a document whose figures and block are right" fig --check "$work/good.md"

sed 's/^All [0-9]*</All 55</' "$work/good.md" >"$work/wrong.md"
fig --check "$work/wrong.md" >"$work/out" 2>&1
check "--check fails on a wrong figure and names its key and both values" \
    bash -c "[ $? -eq 1 ] && grep -q 'wrong.md:1: qemu-7.2.amd.cases: the text says 55, the results 54' '$work/out'"

sed 's/cases<!--fig:qemu-7.2.amd.cases-->/&/; s/mismatch-->/mismatch--> and 3<!--fig:qemu-7.2.amd.no_such_key-->/' \
    "$work/good.md" >"$work/unknown.md"
fig --check "$work/unknown.md" >"$work/out" 2>&1
check "--check fails on an unknown key and names it" \
    bash -c "[ $? -eq 1 ] && grep -q 'unknown figure qemu-7.2.amd.no_such_key' '$work/out'"

printf 'a marker with nothing before it: <!--fig:qemu-7.2.amd.cases-->\n' >"$work/bare.md"
fig --check "$work/bare.md" >"$work/out" 2>&1
check "--check fails on a marker with no figure before it" \
    bash -c "[ $? -eq 1 ] && grep -q 'no figure right before the marker of qemu-7.2.amd.cases' '$work/out'"

sed 's/^    dbsweep: 54 cases x 3 reps: 13 match/    dbsweep: 54 cases x 3 reps: 12 match/' "$work/good.md" >"$work/block.md"
fig --check "$work/block.md" >"$work/out" 2>&1
check "--check fails on a console block that differs from the results" \
    bash -c "[ $? -eq 1 ] && grep -q 'block console.qemu-7.2.amd differs' '$work/out'"

cp "$work/wrong.md" "$work/upd.md"
sed -i 's/^    dbsweep: 54 cases x 3 reps: 13 match/    dbsweep: 54 cases x 3 reps: 12 match/' "$work/upd.md"
fig --update "$work/upd.md" >/dev/null 2>&1
check "--update rewrites a wrong figure and a stale block to exactly the right document" \
    cmp -s "$work/upd.md" "$work/good.md"

printf 'rows: 1,234<!--fig:qemu-7.2.amd.rows--> and 1<!--fig:qemu-7.2.amd.rows-->\n' >"$work/commas.md"
fig --update "$work/commas.md" >/dev/null 2>&1
check "--update keeps a comma-grouped figure comma-grouped" \
    grep -qx 'rows: 489<!--fig:qemu-7.2.amd.rows--> and 489<!--fig:qemu-7.2.amd.rows-->' "$work/commas.md"
printf 'rows: 99,999<!--fig:qemu-7.2.amd.csv_bytes-->\n' >"$work/commas.md"
fig --update "$work/commas.md" >/dev/null 2>&1
size=$(wc -c <"$work/res/amd-15-107-1-tcg-20261129-223822.csv")
grouped=$(sed ':a;s/\B[0-9]\{3\}\>/,&/;ta' <<<"$size")
check "--update writes the CSV's size, $grouped bytes, with commas where the text had them" \
    grep -qx "rows: $grouped<!--fig:qemu-7.2.amd.csv_bytes-->" "$work/commas.md"

cp "$work/unknown.md" "$work/upd2.md"
fig --update "$work/upd2.md" >/dev/null 2>&1
check "--update fails on an unknown key and leaves it as it was" \
    bash -c "[ $? -eq 1 ] && grep -q 'and 3<!--fig:qemu-7.2.amd.no_such_key-->' '$work/upd2.md'"

summary figures
