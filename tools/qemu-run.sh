#!/bin/bash
# qemu-run.sh --image IMG [--out DIR] [--log FILE] [--accel auto|kvm|tcg]
#             [--cpu MODEL] [--timeout SECONDS] [--quiet] [--allow-no-csv] [--usb]
#             [--in-place] [--reboot] [--qemu PATH] [--machine-opts OPTS]
#             [--secure-boot] [--smp N]
# Boots IMG in OVMF under QEMU and waits for dbsweep to power the VM off,
# then copies the CSVs from the image's \dbsweep\results\ into DIR without
# overwriting anything. accel=auto uses KVM when /dev/kvm is usable and falls
# back to TCG when a KVM boot fails, saying why in one line (the console of
# a KVM boot is shown only once dbsweep has started). The terminal is shown
# the console without OVMF's escape sequences; the log (--log) keeps them
# all. A firmware exception dump or a KVM
# emulation failure on the console ends the VM at once instead of at the time
# limit. IMG itself is left untouched (the VM boots a private copy) unless
# --in-place, which boots IMG itself so it keeps what the run wrote. --reboot
# lets a reset reboot the VM (the default ends it). --usb
# attaches it as a USB stick (qemu-xhci + usb-storage) instead of a SATA disk;
# IMG may be a bare FAT file system or a GPT disk (make usb). --qemu runs
# that qemu-system-x86_64 instead of the one on the PATH (a QEMU tree's
# build, make's build/qemu-10.0); from QEMU 8.2 on it is given -audio none,
# so that it loads no audio module: a QEMU unpacked beside the system's
# finds the system's modules, and loading one aborts it. --machine-opts
# adds OPTS to -machine q35,accel=... (e.g. kernel-irqchip=off).
# --secure-boot boots Debian's test firmware with Secure Boot enforced: its
# variable store has the "snakeoil" test key (/usr/share/ovmf/PkKek-1-snakeoil.*)
# enrolled in PK, KEK and db, and the firmware needs SMM with its flash
# writable only from SMM. A refused image (OVMF's boot manager says "Access
# Denied" or "Security Violation": not signed by a key in db) ends the VM at
# once, with exit status 7. --smp N gives the VM N logical CPUs (default 1),
# for cores= (README.md, "Every core").
set -euo pipefail

image="" out="" log="" accel=auto cpu="" timeout=600 quiet=0 allow_no_csv=0 usb=0 in_place=0
reboot=-no-reboot qemu=qemu-system-x86_64 machine_opts="" secure_boot=0 smp=1
while [ $# -gt 0 ]; do
    case $1 in
    --image) image=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --log) log=$2; shift 2 ;;
    --accel) accel=$2; shift 2 ;;
    --cpu) cpu=$2; shift 2 ;;
    --timeout) timeout=$2; shift 2 ;;
    --quiet) quiet=1; shift ;;
    --allow-no-csv) allow_no_csv=1; shift ;;
    --usb) usb=1; shift ;;
    --in-place) in_place=1; shift ;;
    --reboot) reboot=""; shift ;;
    --qemu) qemu=$2; shift 2 ;;
    --machine-opts) machine_opts=,$2; shift 2 ;;
    --secure-boot) secure_boot=1; shift ;;
    --smp) smp=$2; shift 2 ;;
    *) echo "qemu-run.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
[ -n "$image" ] || { echo "qemu-run.sh: --image is required" >&2; exit 2; }
case $smp in '' | *[!0-9]* | 0*) echo "qemu-run.sh: --smp takes a number of CPUs, not '$smp'" >&2; exit 2 ;; esac
case $accel in auto | kvm | tcg) ;; *) echo "qemu-run.sh: --accel takes auto, kvm or tcg, not '$accel'" >&2; exit 2 ;; esac

qemu_version=$("$qemu" --version 2>/dev/null | sed -n 's/^QEMU emulator version \([0-9][0-9.]*\).*/\1/p') || true
[ -n "$qemu_version" ] || { echo "qemu-run.sh: '$qemu' does not run as a QEMU ($qemu --version)" >&2; exit 2; }
qemu_opts=()
# -audio DRIVER without a model: QEMU 8.2 and later
[ "$(printf '%s\n' 8.2 "$qemu_version" | sort -V | head -n 1)" != 8.2 ] || qemu_opts+=(-audio none)

ovmf_code=/usr/share/OVMF/OVMF_CODE_4M.fd
ovmf_vars=/usr/share/OVMF/OVMF_VARS_4M.fd
if [ "$secure_boot" = 1 ]; then
    ovmf_code=/usr/share/OVMF/OVMF_CODE_4M.snakeoil.fd
    ovmf_vars=/usr/share/OVMF/OVMF_VARS_4M.snakeoil.fd
    machine_opts=",smm=on$machine_opts"
    qemu_opts+=(-global driver=cfi.pflash01,property=secure,value=on)
fi
for f in "$ovmf_code" "$ovmf_vars" "$image"; do
    [ -r "$f" ] || { echo "qemu-run.sh: missing $f" >&2; exit 2; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[ -n "$log" ] || log="$work/console.log"
fatal_re='!!!! X64 Exception|emulation failure|KVM internal error|KVM: entry failed'
# how OVMF's boot manager says that Secure Boot refused an image (Access
# Denied: the signature is not in db; Security Violation: an image the
# policy defers, such as its own shell)
refused_re='BdsDxe: failed to (load|start) Boot[0-9A-F]+ .*: (Access Denied|Security Violation)'

# What the terminal is shown of the console: without OVMF's terminal
# escapes (screen clears, cursor moves, mode switches); the log keeps them.
show() {
    sed -u -e 's/\x1b\[[0-9;?=]*[A-Za-z]//g' -e 's/\x1b[()][A-Za-z0-9]//g' -e 's/\x1b[78=>cDEHM]//g'
}

# The first line of the log that says why QEMU or KVM gave up (QEMU's
# warnings, e.g. on CPU features TCG lacks, are not why).
first_error() {
    local me
    me=$(basename "$qemu")
    grep -a -E "^$me: |$fatal_re" "$log" | grep -av -m1 "^$me: warning:" |
        tr -d '\r' | sed -e "s/^$me: //" -e 's/^error: //'
}

# boot ACCEL CPU: 0 powered off, 3 hung, 4 crashed, 5 qemu failed, 6 KVM
# failed before dbsweep started (why: in $kvm_why; nothing was shown), 7 the
# firmware refused the image (Secure Boot).
# Under KVM the console is shown only once dbsweep has started, so that a
# KVM that cannot run the firmware is one line, not a QEMU dump.
boot() {
    local acc=$1 model=$2 pid rc start end qrc tailpid="" started=0
    cp "$ovmf_vars" "$work/vars.fd"
    if [ "$in_place" = 1 ]; then ln -sf "$(readlink -f "$image")" "$work/disk.img"
    else cp "$image" "$work/disk.img"; fi
    : >"$log"
    echo "qemu-run: booting $image in OVMF under QEMU $qemu_version (accel=$acc, cpu=$model, limit ${timeout}s)"
    start=$(date +%s.%N)
    "$qemu" -machine q35,accel="$acc$machine_opts" -cpu "$model" -m 512 -smp "$smp" \
        -nographic $reboot -net none "${qemu_opts[@]}" \
        -drive if=pflash,format=raw,unit=0,readonly=on,file="$ovmf_code" \
        -drive if=pflash,format=raw,unit=1,file="$work/vars.fd" \
        "${disk[@]}" </dev/null >"$log" 2>&1 &
    pid=$!
    rc=""
    # (bash's own note on a QEMU that aborts would go to stderr: not shown)
    {
        while kill -0 "$pid"; do
            if [ "$started" = 0 ] && { [ "$acc" != kvm ] || grep -aq '^dbsweep [0-9]' "$log"; }; then
                started=1
                if [ "$quiet" != 1 ]; then
                    tail -n +1 -f --pid="$pid" "$log" | show &
                    tailpid=$!
                fi
            fi
            if grep -Eaq "$fatal_re" "$log"; then
                sleep 1; kill "$pid"; rc=4; break
            fi
            if [ "$secure_boot" = 1 ] && grep -Eaq "$refused_re" "$log"; then
                sleep 1; kill "$pid"; rc=7; break
            fi
            if [ "$(awk "BEGIN{print ($(date +%s.%N) - $start > $timeout)}")" = 1 ]; then
                kill "$pid"; rc=3; break
            fi
            sleep 0.2
        done
        if wait "$pid"; then qrc=0; else qrc=$?; fi
        [ -z "$tailpid" ] || wait "$tailpid"
    } 2>/dev/null
    end=$(date +%s.%N)
    if [ "$started" = 0 ] && [ "$acc" = kvm ] && { [ "$rc" = 4 ] || [ "$qrc" -ne 0 ]; }; then
        kvm_why=$(first_error)
        if [ "$log" != "$work/console.log" ]; then
            cp "$log" "$log.kvm"
            kvm_why="$kvm_why (QEMU's output: $log.kvm)"
        fi
        return 6
    fi
    echo "qemu-run: VM ran $(awk "BEGIN{printf \"%.1f\", $end - $start}") s"
    case $rc in
    3) echo "qemu-run: ERROR: the VM did not power off within ${timeout}s (hung?); console log: $log" >&2; return 3 ;;
    4) echo "qemu-run: ERROR: the VM crashed (see the dump above); console log: $log" >&2; return 4 ;;
    7) echo "qemu-run: ERROR: Secure Boot refused the image (not signed by a key in db): $(grep -Eao -m1 "$refused_re" "$log")" >&2
       return 7 ;;
    esac
    if [ "$qrc" -ne 0 ]; then
        echo "qemu-run: ERROR: qemu exited with $qrc: $(first_error)" >&2
        return 5
    fi
    return 0
}

if [ "$usb" = 1 ]; then
    disk=(-device qemu-xhci -drive if=none,id=stick,format=raw,file="$work/disk.img"
          -device usb-storage,drive=stick,removable=on)
else
    disk=(-drive format=raw,file="$work/disk.img")
fi

# The FAT file system in an image, as mtools names it: the image itself, or
# image@@offset of its first partition.
fs_of() {
    local start
    start=$(sfdisk -d "$1" 2>/dev/null | sed -n 's/.*start= *\([0-9]*\).*/\1/p' | head -n 1)
    if [ -n "$start" ]; then echo "$1@@$((start * 512))"; else echo "$1"; fi
}

cpu_for() { if [ -n "$cpu" ]; then echo "$cpu"; elif [ "$1" = kvm ]; then echo host; else echo max; fi; }

kvm_usable() {
    if [ ! -e /dev/kvm ]; then kvm_why="no /dev/kvm"; return 1; fi
    if [ ! -r /dev/kvm ] || [ ! -w /dev/kvm ]; then kvm_why="/dev/kvm is not accessible to $(id -un)"; return 1; fi
}

kvm_why=""
case $accel in
auto)
    kvm_rc=1
    if kvm_usable; then boot kvm "$(cpu_for kvm)" && kvm_rc=0 || kvm_rc=$?; fi
    # a refused image is refused under TCG too
    [ "$kvm_rc" -ne 7 ] || exit 7
    if [ "$kvm_rc" -ne 0 ]; then
        # a KVM boot that failed after dbsweep started was shown as it was
        [ -n "$kvm_why" ] || kvm_why="the KVM boot failed (see above)"
        echo "qemu-run: KVM not usable here: $kvm_why; falling back to TCG"
        boot tcg "$(cpu_for tcg)"
    fi
    ;;
kvm)
    kvm_usable || { echo "qemu-run: ERROR: KVM not usable here: $kvm_why" >&2; exit 5; }
    boot kvm "$(cpu_for kvm)" || {
        rc=$?
        [ "$rc" -ne 6 ] || echo "qemu-run: ERROR: KVM not usable here: $kvm_why" >&2
        exit "$rc"
    }
    ;;
*)
    boot "$accel" "$(cpu_for "$accel")"
    ;;
esac

[ -n "$out" ] || exit 0
mkdir -p "$out"
found=0
fs=$(fs_of "$work/disk.img")
for name in $(mdir -b -i "$fs" ::/dbsweep/results 2>/dev/null | sed 's|.*/||' | grep -i '\.csv$\|\.txt$'); do
    dest="$out/$name"
    n=1
    while [ -e "$dest" ]; do dest="$out/${name%.*}-copy$n.${name##*.}"; n=$((n + 1)); done
    mcopy -i "$fs" "::/dbsweep/results/$name" "$dest"
    echo "qemu-run: $name -> $dest"
    case $name in *.csv | *.CSV) found=$((found + 1)) ;; esac
done
if [ "$found" -eq 0 ] && [ "$allow_no_csv" = 0 ]; then
    echo "qemu-run: ERROR: the VM wrote no CSV to \\dbsweep\\results" >&2
    exit 4
fi
