#!/bin/bash
# x2apic.sh IMAGE X2APIC_ON.efi QEMU: dbsweep started with the local APIC in
# x2APIC mode, as many firmwares hand over. Two full sweeps from the UEFI
# shell under TCG and QEMU (x2APIC under TCG needs QEMU 8.1 or later: make
# test gives bookworm-backports' 10.0), one after x2apic-on.efi has set
# IA32_APIC_BASE.EXTD, one without: both CSVs complete, apic_mode x2apic and
# xapic, the data.hv.apic cases (the xAPIC's MMIO page) skipped in x2APIC
# mode, and every other case's events and verdicts the same in both. Ends
# with "x2apic: N passed, N failed".
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tools="$here/../../tools"
image=$1 x2apic_on=$2 qemu=$3
build=$(dirname "$image")
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
. "$here/../checks.sh"

# boot NAME NSH_LINE...: the image without BOOTX64.EFI, so that OVMF's shell
# runs a startup.nsh of the lines; CSV in $out/NAME, console in
# $build/x2apic-NAME.log
boot() {
    local name=$1 img=$out/$1.img
    shift
    printf '%s\n' '@echo -off' 'fs0:' "$@" '\dbsweep\dbsweep.efi' 'reset -s' >"$out/$name.nsh"
    cp "$image" "$img"
    mdel -i "$img" ::/EFI/BOOT/BOOTX64.EFI
    mcopy -o -i "$img" "$out/$name.nsh" ::/startup.nsh
    mcopy -i "$img" "$x2apic_on" ::/x2apic-on.efi
    mkdir -p "$out/$name"
    if "$tools/qemu-run.sh" --image "$img" --out "$out/$name" --log "$build/x2apic-$name.log" \
        --accel tcg --qemu "$qemu" --timeout 300 --quiet >"$out/$name.txt" 2>&1; then
        ok "$name: the full sweep from the shell powers off ($(grep -o 'VM ran [0-9.]* s' "$out/$name.txt"))"
    else
        sed 's/^/# /' "$out/$name.txt"
        bad "$name: the full sweep from the shell powers off (console log: $build/x2apic-$name.log)"
    fi
}
csv_of() { local f=("$out/$1"/*.csv); echo "${f[0]}"; }
complete() { [ -f "$1" ] && [ "$(tail -n 1 "$1")" = '# status: complete' ]; }
# case, rep, event, vector, rip_off, dr6, verdict and note of each row (not
# the addresses: the code buffer may lie elsewhere), but for the excluded
# cases; CSV EXCLUDE_GLOB
rows() {
    grep -v '^#' "$1" | awk -F, -v skip="$2" 'NR > 1 && $1 !~ skip { print $1, $3, $4, $5, $8, $10, $15, $20 }'
}

boot xapic
boot x2apic '\x2apic-on.efi'
xapic=$(csv_of xapic) x2apic=$(csv_of x2apic)
check "x2apic: x2apic-on.efi ran and set IA32_APIC_BASE.EXTD" grep -aq 'x2apic-on: IA32_APIC_BASE ' "$build/x2apic-x2apic.log"
check "xapic: the CSV is complete" complete "$xapic"
check "x2apic: the CSV is complete" complete "$x2apic"
check "xapic: the CSV says apic_mode: xapic" grep -qx '# apic_mode: xapic' "$xapic"
check "x2apic: the CSV says apic_mode: x2apic" grep -qx '# apic_mode: x2apic' "$x2apic"
check "x2apic: the same cases selected" \
    bash -c "[ \"\$(grep '^# cases:' '$xapic')\" = \"\$(grep '^# cases:' '$x2apic')\" ]"
check "x2apic: every data.hv.apic row (the xAPIC's MMIO page) is skipped, and there are some" \
    bash -c "grep '^data\\.hv\\.apic\\.' '$x2apic' | grep -q . &&
             ! grep '^data\\.hv\\.apic\\.' '$x2apic' | grep -qv ',skipped,'"
check "xapic: the data.hv.apic cases ran" \
    bash -c "grep '^data\\.hv\\.apic\\.' '$xapic' | grep -qv ',skipped,'"
rows "$xapic" '^data\\.hv\\.apic\\.' >"$out/xapic.rows"
rows "$x2apic" '^data\\.hv\\.apic\\.' >"$out/x2apic.rows"
if cmp -s "$out/xapic.rows" "$out/x2apic.rows" && [ -s "$out/xapic.rows" ]; then
    ok "x2apic: every other case's events and verdicts equal the xAPIC run's ($(wc -l <"$out/xapic.rows") rows)"
else
    diff "$out/xapic.rows" "$out/x2apic.rows" | head -n 20 | sed 's/^/# /'
    bad "x2apic: every other case's events and verdicts equal the xAPIC run's"
fi

summary x2apic
