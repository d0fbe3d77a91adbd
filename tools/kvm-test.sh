#!/bin/bash
# kvm-test.sh REPORT OUT KERNEL_PKG...
# make kvm-test: runs the kut, ss, shadow and data.hv cases under real KVM,
# once per L1 kernel (tools/kvm-in-tcg.sh: KVM nested in QEMU TCG's SVM),
# and once under that TCG itself, the reference. The CSVs go to OUT; each
# KVM run is diffed against the reference with REPORT (dbsweep-report diff),
# the whole diff in build/kvm-test-<kernel>.diff, its table on the terminal.
# A difference is what KVM changes, not a failure; a run that writes no CSV
# is.
set -euo pipefail

report=$1 out=$2
shift 2
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$out"

# run ARGS...: tools/kvm-in-tcg.sh ARGS, prints the CSV it wrote to OUT (the
# last path it names: before it, L2's console names L2's copy)
run() {
    local log
    log=$(mktemp)
    "$root/tools/kvm-in-tcg.sh" --out "$out" "$@" | tee "$log" >&2
    sed -n -e 's/^kvm-in-tcg: \(.*\.csv\)$/\1/p' -e 's/^qemu-run: .* -> \(.*\.csv\)$/\1/p' "$log" |
        tail -n 1
    rm -f "$log"
}

tcg=$(run --tcg)
[ -n "$tcg" ] || { echo "kvm-test: the TCG run wrote no CSV" >&2; exit 4; }
for k in "$@"; do
    kvm=$(run --kernel "$k")
    [ -n "$kvm" ] || { echo "kvm-test: the KVM run under $k wrote no CSV" >&2; exit 4; }
    diff=$root/build/kvm-test-$k.diff
    rc=0
    "$report" diff "$tcg" "$kvm" >"$diff" || rc=$?
    [ "$rc" -le 1 ] || { echo "kvm-test: dbsweep-report diff failed ($rc)" >&2; exit "$rc"; }
    echo "kvm-test: $k: TCG $(basename "$tcg") vs KVM $(basename "$kvm") (all of it: $diff)"
    sed -n '/^group /,/^all /p' "$diff"
done
