#!/bin/bash
# kut.sh IMAGE REPORT KUT_TARBALL: dbsweep's cases exported by `dbsweep-report
# kut` must build and run in kvm-unit-tests and agree with dbsweep itself.
# Unpacks the kvm-unit-tests snapshot under build/kut (never into the
# sources), exports every kut.* case and a sample of every group (CPL0 and
# CPL3: the modes KUT can express) to x86/dbsweep.c, adds dbsweep to KUT's
# x86_64 test list, builds it with KUT's ./configure && make (the one
# target: all of KUT takes three times as long) and runs it with
# KUT's runner under QEMU's TCG with -cpu max, the CPU dbsweep's own run had
# (AMD-like: the exports assert AMD's rules). Each test must pass exactly
# where dbsweep's run of the case under the same QEMU matched the model, and
# fail where it mismatched; exported --as-recorded, every test must pass.
# dbsweep's run: build/e2e-last.csv when e2e.sh left it for this image (make
# test runs e2e.sh first), else a full sweep booted here. Ends with
# "kut: N passed, N failed".
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tools="$here/../../tools"
image=$1 report=$2 tarball=$3
build=$(cd "$(dirname "$image")" && pwd)
kut="$build/kut/kvm-unit-tests"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
. "$here/../checks.sh"
PER=6 # cases per mode, group and verdict in the sample
check "the kvm-unit-tests snapshot is there: $tarball (../shared/third_party/README.md)" [ -f "$tarball" ]

# dbsweep's own run under this QEMU, with -cpu max as KUT gets below
csv="$build/e2e-last.csv"
if [ ! -f "$csv" ] || [ "$csv" -ot "$image" ]; then
    mkdir -p "$out/boot"
    "$tools/qemu-run.sh" --image "$image" --out "$out/boot" --accel tcg --cpu max --timeout 300 \
        --quiet >"$out/boot.txt" 2>&1 || sed 's/^/# /' "$out/boot.txt"
    csv=$(ls "$out"/boot/*.csv 2>/dev/null | head -n 1)
fi
check "dbsweep's run to compare with: ${csv:-none}, complete" \
    bash -c "[ -n '$csv' ] && tail -n 1 '$csv' | grep -q '^# status: complete'"
[ -n "$csv" ] || { summary kut; exit; }
qemu_ver=$(qemu-system-x86_64 --version | sed -n 's/^QEMU emulator version \([0-9]*\.[0-9]*\).*/\1/p')
check "that run was under this QEMU ($qemu_ver) on an AMD-like CPU, judged by AMD's rules" \
    bash -c "grep -qx '# system_version: pc-q35-$qemu_ver' '$csv' &&
             grep -qx '# cpu_vendor: AuthenticAMD' '$csv' && grep -qx '# model_vendor: amd' '$csv'"

# Each case's verdict (the worst of its rows): "CASE VERDICT", sorted.
awk -F, '!/^#/ && $1 != "case" {
    v = $15; w = seen[$1] ? verdict[$1] : "match"; seen[$1] = 1
    verdict[$1] = (v == "mismatch" || w == "mismatch") ? "mismatch" : (v != "match" ? v : w)
} END { for (c in verdict) print c, verdict[c] }' "$csv" | LC_ALL=C sort >"$out/verdicts"

# The selection: every kut case (k64, u64), the cases issue 19 found
# exported wrong, and per mode, group and verdict PER cases spread over the
# group. Skipped cases (verdict none) ran nothing; the ones the model leaves
# undefined have nothing to assert but what was recorded: they go into the
# --as-recorded program only.
named='ss.popf.nop data.hv.rep_insb.first.w8.popf data.bp.dr2.rw.len8.lg.load ss.popf.ud2 ss.popf.hlt'
awk -v per=$PER -v named="$named" 'BEGIN { split(named, n, " "); for (i in n) want[n[i]] = 1 }
$2 == "match" || $2 == "mismatch" || $2 == "undefined" {
    split($1, p, "."); mode = p[1] ~ /^(u64|k32|u32)$/ ? p[1] : "k64"
    if (mode != "k64" && mode != "u64") next
    group = mode == "k64" ? p[1] : p[2]
    if (group == "kut" || want[$1]) { print; next }
    key = mode " " group " " $2; list[key] = list[key] " " $1; count[key]++
} END {
    for (key in list) {
        split(substr(list[key], 2), c, " "); split(key, k, " ")
        step = count[key] / per
        for (i = 0; i < per && i < count[key]; i++) print c[int(i * step) + 1], k[3]
    }
}' "$out/verdicts" | LC_ALL=C sort -u >"$out/sample"
awk '$2 != "undefined" { print $1 }' "$out/sample" >"$out/wanted"
check "the sample has the cases issue 19 named" \
    bash -c "for c in $named; do grep -q \"^\$c \" '$out/sample' || exit 1; done"

# Export; the cases kvm-unit-tests cannot express are refused by name (exit 2)
# and left out, but only for the reasons that are known to apply.
"$report" kut --as-recorded $(cut -d' ' -f1 "$out/sample") "$csv" -o "$out/recorded.c" 2>"$out/refused"
sed -n 's/^dbsweep-report: kut: \([^:]*\): kvm-unit-tests cannot express it: .*/\1/p' \
    "$out/refused" >"$out/refused.names"
check "the refusals name their case and say why KUT cannot express it ($(wc -l <"$out/refused.names") cases)" \
    bash -c "[ \$(wc -l <'$out/refused') -eq \$(wc -l <'$out/refused.names') ]"
grep -vxFf "$out/refused.names" "$out/wanted" >"$out/exported"
check "export of $(wc -l <"$out/exported") cases ($(grep -c '^kut\.\|^u64\.kut\.' "$out/exported") kut, $(grep -c '^u64\.' "$out/exported") at CPL3)" \
    "$report" kut $(cat "$out/exported") "$csv" -o "$out/dbsweep.c"
cut -d' ' -f1 "$out/sample" | grep -vxFf "$out/refused.names" >"$out/recorded"
check "export --as-recorded of those and $(($(wc -l <"$out/recorded") - $(wc -l <"$out/exported"))) the model leaves undefined" \
    "$report" kut --as-recorded $(cat "$out/recorded") "$csv" -o "$out/recorded.c"
for c in u32.shadow.popss.shadowed.into k32.ss.popf.nop; do
    check "a compatibility-mode case ($c) is refused by name, exit 2, no file written" \
        bash -c "'$report' kut '$c' '$csv' -o '$out/k32.c' 2>'$out/k32.err'; [ \$? -eq 2 ] &&
                 grep -q '^dbsweep-report: kut: $c: .*compatibility mode' '$out/k32.err' && [ ! -e '$out/k32.c' ]"
done

t0=$SECONDS
rm -rf "$build/kut"
mkdir -p "$build/kut"
tar -xzf "$tarball" -C "$build/kut"
sed -i 's|^tests += $(TEST_DIR)/syscall.$(exe)$|tests += $(TEST_DIR)/dbsweep.$(exe)\n&|' \
    "$kut/x86/Makefile.x86_64"
cp "$out/dbsweep.c" "$kut/x86/dbsweep.c"
(cd "$kut" && ./configure --arch=x86_64) >"$build/kut-configure.log" 2>&1
check "kvm-unit-tests: with dbsweep in its x86_64 test list, its make builds x86/dbsweep.flat" \
    bash -c "cd '$kut' && make -n 2>/dev/null | grep -q 'x86/dbsweep.flat'"
# run_kut NAME: builds x86/dbsweep.flat from NAME.c and runs it; NAME.results
# gets "CASE PASS|FAIL" per report line
run_kut() {
    cp "$out/$1.c" "$kut/x86/dbsweep.c"
    rm -f "$kut/x86/dbsweep.flat"
    (cd "$kut" && make -j2 x86/dbsweep.flat) \
        >"$build/kut-$1-build.log" 2>&1 &&
        (cd "$kut" && ACCEL=tcg timeout 300 ./x86/run x86/dbsweep.flat -cpu max) \
            >"$build/kut-$1-run.log" 2>&1
    tr -d '\r' <"$build/kut-$1-run.log" | sed -n 's/^\(PASS\|FAIL\): \(.*\)/\2 \1/p' |
        LC_ALL=C sort >"$out/$1.results"
}
run_kut dbsweep
check "kvm-unit-tests: ./configure && make builds x86/dbsweep.flat ($build/kut-dbsweep-build.log)" \
    [ -f "$kut/x86/dbsweep.flat" ]
check "kvm-unit-tests: its runner reports each of the $(wc -l <"$out/exported") cases once" \
    cmp -s <(cut -d' ' -f1 "$out/dbsweep.results") "$out/exported"
join "$out/verdicts" "$out/dbsweep.results" >"$out/both"
agree=$(awk '($2 == "match") == ($3 == "PASS")' "$out/both" | wc -l)
awk '($2 == "match") != ($3 == "PASS") { print "# differs: " $0 }' "$out/both"
check "kvm-unit-tests passes where dbsweep matched and fails where it mismatched ($agree of $(wc -l <"$out/both"): $(grep -c ' PASS$' "$out/both") pass, $(grep -c ' FAIL$' "$out/both") fail)" \
    [ "$agree" -eq "$(wc -l <"$out/exported")" ]
run_kut recorded
check "kvm-unit-tests, --as-recorded: every case sees the events dbsweep recorded ($(grep -c ' PASS$' "$out/recorded.results") of $(wc -l <"$out/recorded") pass)" \
    cmp -s "$out/recorded.results" <(sed 's/$/ PASS/' "$out/recorded" | LC_ALL=C sort)
summary kut "kvm-unit-tests build and runs: $((SECONDS - t0)) s"
