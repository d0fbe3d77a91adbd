#!/bin/bash
# figures.sh [--results DIR] [--report PATH] [--list-tool PATH] [--model-test PATH] [--known DIR]
#            --list | --check FILE... | --update FILE...
#
# The docs' figures, computed from the committed results instead of written
# by hand. A figure in a document carries its key in a marker right after it:
#
#     all 1417<!--fig:qemu-7.2.amd.mismatch--> mismatches
#
# (the figure is the digits, dots and commas right before the marker; a
# comma-grouped figure stays comma-grouped). A console excerpt is generated
# whole: a line <!--fig-block:KEY--> before the indented or fenced block.
# --list prints every key and its value; --check fails naming every marker
# whose figure differs from the results and every unknown key; --update
# rewrites the figures and blocks in place.
#
# Keys. For the newest complete full sweep (selection `*`) per QEMU version
# (`# system_version: pc-q35-X.Y`, TCG) and vendor (`# model_vendor:`) in
# DIR (results/), P = qemu-X.Y.<vendor>:
#   P.cases P.rows P.disagree P.match P.mismatch P.undefined P.none
#   P.<group>.{cases,match,mismatch,undefined,none}   (dbsweep-report summary)
#   P.skipped P.capped P.none_xgetbv P.undefined_pending_trap_bp
#   P.check_disagree   (rows dbsweep-report check judges otherwise)
#   P.csv_bytes P.csv_mb (uncompressed, MB = 10^6 bytes, one decimal)
#   P.verdicts.{pass,fail,xfail,xpass,skip} P.verdicts.{tap_kb,junit_kb,json_mb}
#       (verdicts with tests/e2e/tcg-known/qemu-X.Y.txt and qemu-X.Y-intel.txt)
#   qemu-X.Y.diff.{cases,events,verdict}   (diff of the AMD and Intel sweeps)
#   results.rows   (rows of all those sweeps)
#   block console.P   (make run's console, rebuilt from the CSV)
#   block ktap.P   (serial=on's KTAP lines, rebuilt from the CSV)
#   block diff.example   (dbsweep-report diff of two tests/report/data CSVs)
#   block versions.qemu-A-B.<vendor>, qemu-A-B.<vendor>.events   (diff --stat
#         --events-only of one vendor's sweeps under the oldest QEMU A and B)
#   <CSV name without .csv[.gz]>.cases   (any CSV in DIR: its cases)
#   kvm.cases kvm.<label>.differ_tcg kvm.kernels_differ   (make kvm-test's newest
#       run: its cases, each L1 kernel's KVM run against the TCG reference, the
#       first two kernels against each other)
# From the newest DIR/bench-*.txt (make bench SAVE=results):
#   bench.cases bench.reps bench.rows bench.full_s bench.zero_s bench.ratio
#   bench.us_per_rep bench.random_{cases,skipped,unjudged,s,us_per_rep}
#   bench.serial_plain_bytes bench.serial_plain_s
#   bench.serial_on_bytes bench.serial_on_s bench.serial_times bench.ktap_bytes
#   bench.ktap_s bench.log (its file name)
# From the case table (build/dbsweep-list), names without their mode prefix:
#   table.cases table.<group>.cases table.<group>.<sub>.cases
#   table.<group>.<sub>.<detail>.cases table.<group>.<mode>.cases
# From build/test_model (the model over the whole table):
#   model.hw_records model.<vendor>.{cases,expected,undefined}
set -euo pipefail
export LC_ALL=C
here=$(cd "$(dirname "$0")" && pwd)
results=$here/../results
report=$here/../build/dbsweep-report
list=$here/../build/dbsweep-list
model_test=$here/../build/test_model
known=$here/../tests/e2e/tcg-known
while [ $# -gt 0 ]; do
    case $1 in
    --results) results=$2; shift 2 ;;
    --report) report=$2; shift 2 ;;
    --list-tool) list=$2; shift 2 ;;
    --model-test) model_test=$2; shift 2 ;;
    --known) known=$2; shift 2 ;;
    *) break ;;
    esac
done
mode=${1:-}
case $mode in
--list | --check | --update) shift ;;
*) sed -n '2,/^set /{/^set /d;s/^# \{0,1\}//;p}' "$0" >&2; exit 2 ;;
esac
for tool in "$report" "$list" "$model_test"; do
    [ -x "$tool" ] || { echo "figures: $tool not built (make all unit)" >&2; exit 2; }
done
report=$(realpath "$report")

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
figs=$work/figures
mkdir "$work/blocks"
: >"$figs"
put() { printf '%s\t%s\n' "$1" "$2" >>"$figs"; }

# meta FILE KEY: a leading metadata value
meta() { { zcat -f "$1" || :; } | sed -n "/^[^#]/q;s/^# $2: //p" | head -n 1; }

# One "version vendor time file" line per complete full TCG sweep.
for f in "$results"/*.csv "$results"/*.csv.gz; do
    [ -e "$f" ] || continue
    zcat -f "$f" | tail -n 1 | grep -qx '# status: complete' || continue
    [ "$(meta "$f" selection)" = '*' ] && [ "$(meta "$f" hypervisor)" = TCGTCGTCGTCG ] || continue
    ver=$(meta "$f" system_version | sed -n 's/^pc-[a-z0-9]*-\([0-9]*\.[0-9]*\)$/\1/p')
    [ -n "$ver" ] || continue
    echo "$ver $(meta "$f" model_vendor) $(meta "$f" uefi_time) $f"
done | sort -k1,2 -k3r | sort -u -s -k1,2 >"$work/runs"
# Every CSV's own count, by its name, for the lines describing that file.
for f in "$results"/*.csv "$results"/*.csv.gz; do
    [ -e "$f" ] || continue
    n=$(basename "$f" .gz)
    put "${n%.csv}.cases" "$(meta "$f" cases)"
done

# console FILE: the lines of make run's console an excerpt shows, rebuilt
# from the CSV (efi/console.c's formats): the selection, the first
# mismatching case, the summary with its first two groups and its last.
console() {
    local f=$1 n
    n=$(meta "$f" cases)
    echo "cases: $n of $(meta "$f" cases_total) selected by cases=$(meta "$f" selection);" \
        "judged by the $(meta "$f" model_vendor) rules of $(meta "$f" model)"
    { zcat -f "$f" || :; } | awk -F, -v n="$n" '!/^#/ && NR > 1 && $1 != "case" {
            if ($1 != last) { i++; last = $1 }
            if ($15 == "mismatch") {
                printf "[%3d/%d] %s ... mismatch%s\n", i, n, $1, $16 == "no" ? " (repetitions disagree)" : ""
                exit } }'
    echo "..."
    echo "dbsweep: $n cases x $(meta "$f" reps) reps: $(get "$p.match") match," \
        "$(get "$p.mismatch") mismatch, $(get "$p.undefined") undefined, $(get "$p.none") none;" \
        "$(get "$p.disagree") with disagreeing reps, $(get "$p.skipped") skipped, $(get "$p.capped") reps capped"
    awk '$1 != "total" {print "  " $1 ": " $2 " cases, " $3 " match, " $4 " mismatch, " $5 " undefined, " $6 " none"}' \
        "$work/groups" | sed -n '1,2p;$p' | sed '3i\  ...'
    printf 'dbsweep: wrote \\dbsweep\\results\\%s\n' "$(basename "$f" .gz)"
    echo "dbsweep: done, powering off"
}
get() { awk -F'\t' -v k="$1" '$1 == k {print $2; exit}' "$figs"; }

# ktap ROWS: what serial=on prints as KTAP (src/output/ktap.c), rebuilt from
# the CSV's rows: the plan, the first group with its first case and its first
# failing one, then the first group the run skipped.
ktap() {
    awk -F, '
    function word(c) { return sk[c] ? 0 : cr[c] ? 5 : wv[c] } # ktap.c: skipped none undefined match mismatch crashed
    function line(ind, n, name, w, extra) {
        return ind (w >= 4 ? "not ok " : "ok ") n " " name " # " words[w] extra
    }
    BEGIN { split("SKIP none,SKIP undefined,match,mismatch,crashed", a, ",")
            words[0] = "SKIP skipped"; for (i = 1; i <= 5; i++) words[i] = a[i]
            split("match none undefined mismatch", v, " "); for (i = 1; i <= 4; i++) rank[v[i]] = i - 1
            of[0] = 3; of[1] = 1; of[2] = 2; of[3] = 4 }
    $1 == "case" { next }
    {
        g = $1 ~ /^(k32|u64|u32)\./ ? substr($1, 1, 4) $2 : $2 # a KTAP group is a mode'"'"'s group
        if ($1 != last) { nc++; name[nc] = $1; last = $1; r[nc] = 0
            if (g != lastg) { ng++; gname[ng] = g; lastg = g }
            grp[nc] = ng; gcases[ng]++; idx[nc] = gcases[ng] }
        if (rank[$15] > r[nc]) r[nc] = rank[$15]
        wv[nc] = of[r[nc]]
        if ($20 ~ /^skipped/) sk[nc] = 1
        if ($20 ~ /^crashed/) cr[nc] = 1
        if ($20 ~ /^capped/) cap[nc] = 1
        if ($16 == "no") dis[nc] = 1
    }
    END {
        for (c = 1; c <= nc; c++) {
            w = word(c); g = grp[c]
            if (!(g in gw) || w > gw[g]) gw[g] = w
            ext[c] = (dis[c] ? "; repetitions disagree" : "") (cap[c] ? "; event cap hit" : "")
            if (!(g in first)) first[g] = c
            if (w >= 4 && !(g in bad)) bad[g] = c
        }
        print "KTAP version 1"; print "1.." ng
        print "    KTAP version 1"; print "    # Subtest: " gname[1]; print "    1.." gcases[1]
        c = first[1]; print line("    ", idx[c], name[c], word(c), ext[c])
        if ((1 in bad) && bad[1] != c) { c = bad[1]; print line("    ", idx[c], name[c], word(c), ext[c]) }
        print "    ..."; print line("", 1, gname[1], gw[1], "")
        for (g = 2; g <= ng; g++) if (gw[g] <= 2) {
            c = first[g]; print "    ..."; print line("    ", idx[c], name[c], word(c), ext[c])
            print "    ..."; print line("", g, gname[g], gw[g], ""); break
        }
    }' "$1"
}

total_rows=0
while read -r ver vendor _ f; do
    p=qemu-$ver.$vendor
    "$report" summary "$f" >"$work/summary"
    sed -n 's/^cases: *\([0-9]*\) (metadata says [0-9]*), \([0-9]*\) rows, \([0-9]*\) with.*/\1 \2 \3/p' \
        "$work/summary" >"$work/counts"
    read -r cases rows disagree <"$work/counts"
    put "$p.cases" "$cases"
    put "$p.rows" "$rows"
    put "$p.disagree" "$disagree"
    total_rows=$((total_rows + rows))
    awk '/^  group /{t = 1; next} t && NF == 6 {print $1, $2, $3, $4, $5, $6}' "$work/summary" >"$work/groups"
    while read -r g c m mm u no; do
        q=$p.$g
        [ "$g" = total ] && q=$p
        [ "$g" = total ] || put "$q.cases" "$c"
        put "$q.match" "$m"
        put "$q.mismatch" "$mm"
        put "$q.undefined" "$u"
        put "$q.none" "$no"
    done <"$work/groups"
    # efi/console.c counts a case skipped when it could not run; the one a
    # crash took down is the other kind of `none`.
    put "$p.skipped" $(($(get "$p.none") - $(meta "$f" crashed_case | grep -c .)))
    zcat -f "$f" | grep -v '^#' >"$work/rows"
    put "$p.capped" "$(awk -F, '$20 ~ /^capped/ {print $1, $3}' "$work/rows" | sort -u | wc -l)"
    put "$p.none_xgetbv" "$(awk -F, '$15 == "none" && $1 ~ /xgetbv/ {print $1}' "$work/rows" | sort -u | wc -l)"
    put "$p.undefined_pending_trap_bp" "$(grep -F 'a trap pending from the previous instruction meets a code breakpoint' \
        "$work/rows" | awk -F, '$15 == "undefined" {print $1}' | sort -u | wc -l)"
    put "$p.check_disagree" "$("$report" check "$f" | sed -n 's/^check: .* rows re-judged by .*, \([0-9]*\) disagree.*/\1/p')"
    bytes=$(zcat -f "$f" | wc -c)
    put "$p.csv_bytes" "$bytes"
    put "$p.csv_mb" "$(awk -v b="$bytes" 'BEGIN {printf "%.1f", b / 1e6}')"
    # The outputs name the CSV and the lists by the paths given: bare names
    # in a directory of links, so that their sizes do not depend on where
    # the checkout is.
    rm -rf "$work/v" && mkdir "$work/v" && ln -s "$(realpath "$f")" "$work/v/$(basename "$f")"
    lists=()
    for l in "$known/qemu-$ver.txt" "$known/qemu-$ver-intel.txt"; do
        [ -e "$l" ] && ln -s "$(realpath "$l")" "$work/v/$(basename "$l")" && lists+=(--known "$(basename "$l")")
    done
    for fmt in tap junit json; do
        (cd "$work/v" && "$report" verdicts "$(basename "$f")" ${lists[@]+"${lists[@]}"} --format "$fmt" \
            -o "$work/v.$fmt") || [ $? -eq 1 ]
    done
    sed -n 's/^# all files: \([0-9]*\) pass, \([0-9]*\) fail, \([0-9]*\) xfail, \([0-9]*\) xpass, \([0-9]*\) skip$/\1 \2 \3 \4 \5/p' \
        "$work/v.tap" >"$work/counts"
    read -r vp vf vx vxp vs <"$work/counts"
    put "$p.verdicts.pass" "$vp"
    put "$p.verdicts.fail" "$vf"
    put "$p.verdicts.xfail" "$vx"
    put "$p.verdicts.xpass" "$vxp"
    put "$p.verdicts.skip" "$vs"
    put "$p.verdicts.tap_kb" "$(($(wc -c <"$work/v.tap") / 1000))"
    put "$p.verdicts.junit_kb" "$(($(wc -c <"$work/v.junit") / 1000))"
    put "$p.verdicts.json_mb" "$(awk -v b="$(wc -c <"$work/v.json")" 'BEGIN {printf "%.2f", b / 1e6}')"
    console "$f" >"$work/blocks/console.$p"
    ktap "$work/rows" >"$work/blocks/ktap.$p"
done <"$work/runs"
put results.rows "$total_rows"

# The AMD and the Intel sweep of one QEMU version, compared.
for ver in $(cut -d' ' -f1 "$work/runs" | sort -u); do
    a=$(awk -v v="$ver" '$1 == v && $2 == "amd" {print $4}' "$work/runs")
    i=$(awk -v v="$ver" '$1 == v && $2 == "intel" {print $4}' "$work/runs")
    [ -n "$a" ] && [ -n "$i" ] || continue
    "$report" diff --stat "$a" "$i" >"$work/diff" || [ $? -eq 1 ]
    sed -n 's/^\([0-9]*\) of \([0-9]*\) cases compared differ (\([0-9]*\) in events, \([0-9]*\) in the verdict only)$/\2 \3 \4/p' \
        "$work/diff" >"$work/counts"
    read -r c e v <"$work/counts"
    put "qemu-$ver.diff.cases" "$c"
    put "qemu-$ver.diff.events" "$e"
    put "qemu-$ver.diff.verdict" "$v"
done

# One vendor's sweeps under two QEMU versions, compared: what a release
# changed (the README's table of the oldest version against each newer one).
vers=$(cut -d' ' -f1 "$work/runs" | sort -u -V)
old=$(head -n 1 <<<"$vers")
for ver in $(tail -n +2 <<<"$vers"); do
    for vendor in amd intel; do
        a=$(awk -v v="$old" -v w="$vendor" '$1 == v && $2 == w {print $4}' "$work/runs")
        b=$(awk -v v="$ver" -v w="$vendor" '$1 == v && $2 == w {print $4}' "$work/runs")
        [ -n "$a" ] && [ -n "$b" ] || continue
        "$report" diff --stat --events-only "$a" "$b" >"$work/diff" || [ $? -eq 1 ]
        sed -n '/^group /,/^all /p' "$work/diff" >"$work/blocks/versions.qemu-$old-$ver.$vendor"
        put "qemu-$old-$ver.$vendor.events" \
            "$(sed -n 's/^\([0-9]*\) of [0-9]* cases compared differ.*/\1/p' "$work/diff")"
    done
done

# make kvm-test's newest run: its TCG reference (label l0-tcg) and the KVM
# runs under each L1 kernel (labels l1-<kernel>), from one day's results.
ref=$(ls "$results"/*-tcg-*-l0-tcg.csv.gz 2>/dev/null | sort -t- -k6 | tail -n 1 || true)
if [ -n "$ref" ]; then
    day=$(basename "$ref" | cut -d- -f6)
    put kvm.cases "$(meta "$ref" cases)"
    kvms=()
    for f in "$results"/*-kvm-"$day"-*-l1-*.csv.gz; do
        [ -e "$f" ] || continue
        kvms+=("$f")
        "$report" diff --events-only --stat "$ref" "$f" >"$work/diff" || [ $? -eq 1 ]
        put "kvm.$(meta "$f" label).differ_tcg" \
            "$(sed -n 's/^\([0-9]*\) of [0-9]* cases compared differ.*/\1/p' "$work/diff")"
    done
    if [ ${#kvms[@]} -ge 2 ]; then
        "$report" diff --events-only --stat "${kvms[0]}" "${kvms[1]}" >"$work/diff" || [ $? -eq 1 ]
        put kvm.kernels_differ "$(sed -n 's/^\([0-9]*\) of [0-9]* cases compared differ.*/\1/p' "$work/diff")"
    fi
fi

# The README's diff example, on two CSVs of the report tests.
(cd "$here/.." && "$report" diff tests/report/data/tcg-amd.csv tests/report/data/kvm-seed-bug.csv) \
    >"$work/blocks/diff.example" || [ $? -eq 1 ]

# The newest bench log (tools/bench.sh's lines).
bench=$(ls "$results"/bench-*.txt 2>/dev/null | sort -t- -k3 | tail -n 1 || true)
if [ -n "$bench" ]; then
    b() { sed -n "s/^bench ([a-z]*): $1\$/${2:-\\1}/p" "$bench" | head -n 1; } # PATTERN [GROUPS]
    put bench.log "$(basename "$bench")"
    read -r c r rows full < <(b 'full sweep: \([0-9]*\) cases x \([0-9]*\) reps, \([0-9]*\) CSV rows; median \([0-9.]*\) s' \
        '\1 \2 \3 \4')
    put bench.cases "$c"
    put bench.reps "$r"
    put bench.rows "$rows"
    put bench.full_s "$full"
    put bench.zero_s "$(b 'zero-case boot (cases=none): median \([0-9.]*\) s')"
    put bench.ratio "$(b 'ratio full\/zero = \([0-9.]*\) .*')"
    put bench.us_per_rep "$(b 'cost per case-repetition: \([0-9]*\) us .*')"
    read -r rc rs ru rm < <(b 'random:[0-9:]*: \([0-9]*\) cases (\([0-9]*\) skipped, \([0-9]*\) unjudged) x [0-9]* reps; median \([0-9.]*\) s' \
        '\1 \2 \3 \4')
    put bench.random_cases "$rc"
    put bench.random_skipped "$rs"
    put bench.random_unjudged "$ru"
    put bench.random_s "$rm"
    put bench.random_us_per_rep "$(b 'cost per case-repetition of random:[0-9:]*: \([0-9]*\) us .*')"
    read -r pb ps ob os x < <(b 'serial stream of the full sweep: serial=plain \([0-9]*\) bytes (\([0-9]*\) s at 115200 baud), serial=on \([0-9]*\) bytes (\([0-9]*\) s), \([0-9.]*\) times smaller' \
        '\1 \2 \3 \4 \5')
    put bench.serial_plain_bytes "$pb"
    put bench.serial_plain_s "$ps"
    put bench.serial_on_bytes "$ob"
    put bench.serial_on_s "$os"
    put bench.serial_times "$x"
    read -r kb ks < <(b 'console lines with serial on (KTAP, one per case and group): \([0-9]*\) bytes (\([0-9]*\) s)' '\1 \2')
    put bench.ktap_bytes "$kb"
    put bench.ktap_s "$ks"
fi
# The case table as build/dbsweep-list prints it (what the code runs now,
# whatever results/ holds): per name prefix, mode prefix left out, and per mode.
"$list" 2>/dev/null | awk -F'\t' '{
        n = $1; m = "k64"
        if (n ~ /^(k32|u64|u32)\./) { m = substr(n, 1, 3); n = substr(n, 5) }
        c["table.cases"]++; k = split(n, a, ".")
        p = "table"
        for (i = 1; i <= k && i <= 3; i++) { p = p "." a[i]; c[p ".cases"]++ }
        c["table." a[1] "." m ".cases"]++
    } END { for (p in c) printf "%s\t%d\n", p, c[p] }' | sort >>"$figs"

# What the model makes of the table (tests/unit/test_model.c prints it).
"$model_test" 2>/dev/null | awk '
    /^model: reproduces [0-9]+ hardware records$/ { printf "model.hw_records\t%s\n", $3 }
    /^model \([a-z]+\): [0-9]+ cases, / {
        v = substr($2, 2, length($2) - 3)
        printf "model.%s.cases\t%s\nmodel.%s.expected\t%s\nmodel.%s.undefined\t%s\n", v, $3, v, $5, v, $9 }' >>"$figs"

# a figure the results or the log do not give is an error, not an empty marker
awk -F'\t' '$2 == "" {print "figures: no value for " $1; bad = 1} END {exit bad}' "$figs" >&2

if [ "$mode" = --list ]; then
    cat "$figs"
    for blk in "$work"/blocks/*; do
        [ -e "$blk" ] || continue
        echo "block ${blk##*/}:"
        sed 's/^/    /' "$blk"
    done
    exit 0
fi

# Marks, checks or rewrites every marker of each file.
status=0
for doc in "$@"; do
    awk -v mode="$mode" -v doc="$doc" -v figs="$figs" -v blocks="$work/blocks" -v out="$work/out" '
    function commas(v,   r) { # 1234567 -> 1,234,567
        if (v !~ /^[0-9]+$/) return v
        r = ""
        while (length(v) > 3) { r = "," substr(v, length(v) - 2) r; v = substr(v, 1, length(v) - 3) }
        return v r
    }
    function emit(s) { print s > out }
    function problem(msg) { print doc ":" FNR ": " msg; bad = 1 }
    # the block that follows a block marker: indented lines (and blank lines
    # inside them), or a fenced block
    function flush_block(   i, n, line, want, have, fenced) {
        n = nb; while (n > 0 && blk[n] == "") n--
        fenced = blk[1] ~ /^```/
        have = ""
        for (i = 1; i <= n; i++) {
            line = blk[i]
            if (fenced) { if (i == 1 || i == n) continue } else sub(/^    /, "", line)
            have = have line "\n"
        }
        want = ""
        file = blocks "/" bkey
        while ((getline line < file) > 0) want = want line "\n"
        close(file)
        if (want == "") problem("unknown block " bkey)
        else if (have != want) {
            if (mode == "--check") print doc ":" bline ": block " bkey " differs from the results"
            if (mode == "--check") bad = 1
            else {
                if (fenced) emit(blk[1])
                nw = split(want, w, "\n") - 1 # want ends in a newline
                for (i = 1; i <= nw; i++) emit((fenced || w[i] == "" ? "" : "    ") w[i])
                if (fenced) emit(blk[n])
                for (i = n + 1; i <= nb; i++) emit(blk[i])
                nb = 0; bkey = ""; return
            }
        }
        for (i = 1; i <= nb; i++) emit(blk[i])
        nb = 0; bkey = ""
    }
    BEGIN { FS = "\t"; while ((getline line < figs) > 0) { split(line, kv, "\t"); fig[kv[1]] = kv[2] } ; FS = " " }
    {
        if (bkey != "") {
            if (nb == 0 && $0 == "") { emit($0); next }
            if (nb > 0 && blk[1] ~ /^```/) {
                blk[++nb] = $0
                if (nb > 1 && $0 ~ /^```/) flush_block()
                next
            }
            if ((nb == 0 && $0 ~ /^```/) || $0 ~ /^    / || ($0 == "" && nb > 0)) { blk[++nb] = $0; next }
            flush_block()
        }
        if ($0 ~ /^<!--fig-block:[^>]*-->$/) {
            bkey = $0; sub(/^<!--fig-block:/, "", bkey); sub(/-->$/, "", bkey)
            bline = FNR; emit($0); next
        }
        rest = $0; line = ""
        while (match(rest, /<!--fig:[^>]*-->/)) {
            key = substr(rest, RSTART + 8, RLENGTH - 11)
            pre = substr(rest, 1, RSTART - 1)
            mark = substr(rest, RSTART, RLENGTH)
            rest = substr(rest, RSTART + RLENGTH)
            if (!match(pre, /[0-9][0-9.,]*$/)) {
                problem("no figure right before the marker of " key)
                line = line pre mark; continue
            }
            val = substr(pre, RSTART); pre = substr(pre, 1, RSTART - 1)
            if (!(key in fig)) {
                problem("unknown figure " key " (" val ")")
                line = line pre val mark; continue
            }
            want = val ~ /,/ ? commas(fig[key]) : fig[key]
            if (val != want) {
                if (mode == "--check") problem(key ": the text says " val ", the results " want)
                else val = want
            }
            line = line pre val mark
        }
        emit(line rest)
    }
    END { if (bkey != "") flush_block(); exit bad }' "$doc" || status=1
    if [ "$mode" = --update ] && ! cmp -s "$work/out" "$doc"; then
        cat "$work/out" >"$doc"
        echo "figures: updated $doc"
    fi
    rm -f "$work/out"
done
[ "$mode" = --update ] || [ "$status" -eq 0 ] || echo "figures: run tools/figures.sh --update on these files after checking the new results" >&2
exit "$status"
