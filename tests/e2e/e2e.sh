#!/bin/bash
# e2e.sh IMAGE USB_IMAGE [QEMU...]: boots the images in OVMF under TCG (what
# the known divergence lists describe), reads the CSVs back with mtools and
# checks them: the full sweep under AMD's rules (-cpu max) and Intel's (-cpu
# Skylake-Client), under the system's QEMU and again under each QEMU given
# (make test: bookworm-backports' 10.0 from build/), each judged against
# the lists of its own QEMU version; then, under the system's QEMU, the
# same from the GPT image as a USB stick, the UEFI
# shell path with a config file, two runs in one boot, a seed of random cases
# booted twice (and under each QEMU given), a zero-case run, a
# bad config, the CSV over the serial line, and every core of a 4-CPU VM
# (cores=all; an AP that spins past core_timeout). Prints one line per check and
# ends with "e2e: N passed, N failed".
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tools="$here/../../tools"
image=$1 usb_image=$2
qemus=("${@:3}")
build=$(dirname "$image")
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
. "$here/../checks.sh"

# boot NAME IMG [QEMU-RUN-OPTION...]: boots IMG, CSVs land in $out/NAME,
# console in $build/e2e-NAME.log
boot() {
    mkdir -p "$out/$1"
    if "$tools/qemu-run.sh" --image "$2" --out "$out/$1" --log "$build/e2e-$1.log" --accel tcg \
        --timeout 300 --quiet "${@:3}" >"$out/$1.txt" 2>&1; then
        ok "$1: boots in OVMF under TCG and powers off ($(grep -o 'VM ran [0-9.]* s' "$out/$1.txt"))"
    else
        sed 's/^/# /' "$out/$1.txt"
        bad "$1: boots and powers off (console log: $build/e2e-$1.log)"
    fi
}

# variant NAME: a copy of the image to change with mtools
variant() { cp "$image" "$out/$1.img"; echo "$out/$1.img"; }

# shell_variant NAME LINE...: a variant without BOOTX64.EFI, so that OVMF
# starts its shell, whose startup.nsh runs the LINEs (echo off first)
shell_variant() {
    local name=$1 img
    shift
    printf '%s\n' '@echo -off' "$@" >"$out/$name.nsh"
    img=$(variant "$name")
    mdel -i "$img" ::/EFI/BOOT/BOOTX64.EFI
    mcopy -o -i "$img" "$out/$name.nsh" ::/startup.nsh
    echo "$img"
}

pandas_loads() {
    /usr/bin/python3 - "$1" <<'PY'
import sys, pandas
df = pandas.read_csv(sys.argv[1], comment='#')
cols = "case,group,rep,event,vector,error,rip,rip_off,rflags,dr6,dr7,exp_vector,exp_rip_off,exp_dr6,verdict,agree,tf,bps,bytes,note,exp_dr6_any,exp_rf,mode,access,cs,ss,rsp".split(",")
assert list(df.columns) == cols, list(df.columns)
assert len(df) == 0 or set(df["rep"]) == {0, 1, 2}
PY
}

# The known TCG divergences for a QEMU version and the CSV's vendor: the
# list of every vendor and, if any, the vendor's own
# (tcg-known/qemu-X.Y[-vendor].txt).
ver_of() { "$1" --version | sed -n 's/^QEMU emulator version \([0-9]*\.[0-9]*\).*/\1/p'; }
qemu_ver=$(ver_of qemu-system-x86_64)
known_lists() { # CSV VERSION; the common list first: a case takes the first glob it matches
    local vendor f
    vendor=$(sed -n 's/^# model_vendor: //p' "$1")
    for f in "$here/tcg-known/qemu-$2.txt" "$here/tcg-known/qemu-$2-$vendor.txt"; do
        [ -f "$f" ] && echo "$f"
    done
}
# judge NAME CSV [VERSION]: e2e-check CSV against the lists that apply to it
# (the system QEMU's unless VERSION), each line and the total named NAME
judge() {
    local lists
    mapfile -t lists < <(known_lists "$2" "${3:-$qemu_ver}")
    "$build/e2e-check" "$2" "${lists[@]}" | sed -e "s/^\(ok\|FAIL\|xfail\) - /\1 - $1: /" -e "s/^e2e:/e2e-$1:/"
}
has_list() { check "a known-divergence list exists for QEMU $1: tests/e2e/tcg-known/qemu-$1.txt" [ -f "$here/tcg-known/qemu-$1.txt" ]; }
has_list "$qemu_ver"

one_csv() { local f=("$out/$1"/*.csv); [ ${#f[@]} -eq 1 ] && [ -f "${f[0]}" ] && echo "${f[0]}"; }
cfg() { printf '%s\n' "$@" >"$out/dbsweep.cfg"; }
# configured NAME CFG_LINE...: a variant whose \dbsweep\dbsweep.cfg holds the lines
configured() {
    local name=$1 img
    shift
    cfg "$@"
    img=$(variant "$name")
    mcopy -i "$img" "$out/dbsweep.cfg" ::/dbsweep/dbsweep.cfg
    echo "$img"
}
# extract_fails WORD LOG: dbsweep-serial-extract exits 1 on LOG, saying WORD
extract_fails() {
    local said
    said=$("$build/dbsweep-serial-extract" "$2" "$out/$(basename "$2").out" 2>&1)
    [ $? -eq 1 ] && grep -q "$1" <<<"$said"
}

# 1. The whole table, booted as removable media (\EFI\BOOT\BOOTX64.EFI).
boot full "$image"
csv=$(one_csv full) && ok "full: exactly one CSV" || bad "full: exactly one CSV"
log="$build/e2e-full.log"
check "full: console shows progress lines" grep -Eq "^\[ *[0-9]+/[0-9]+\] [a-z]" "$log"
check "full: console shows the summary" grep -q "^dbsweep: .* cases x 3 reps: " "$log"
check "full: the app powers the VM off when booted as BOOTX64.EFI" grep -q "powering off" "$log"
if [ -n "$csv" ]; then
    cp "$csv" "$build/e2e-last.csv"
    check "full: CSV loads with pandas.read_csv(path, comment='#')" pandas_loads "$csv"
    check "full: the CSV says secure_boot: off (OVMF without Secure Boot)" grep -qx '# secure_boot: off' "$csv"
    check "full: the firmware's CPU state is the same after the run as before" \
        bash -c "[ \"\$(sed -n 's/^# fw_state: //p' '$csv')\" = \"\$(sed -n 's/^# fw_state_after: //p' '$csv')\" ]"
    check "full: the run's end time comes right before the status line, not before its start" \
        bash -c "start=\$(sed -n 's/^# uefi_time: //p' '$csv')
                 end=\$(tail -n 2 '$csv' | sed -n 's/^# uefi_time_end: //p')
                 [ -n \"\$end\" ] && [[ ! \"\$end\" < \"\$start\" ]]"
    check "full: dbsweep-report check re-judges every row as the app did" \
        "$build/dbsweep-report" check -o /dev/null "$csv"
    judge full "$csv" || true
fi

# 1a. The same sweep on an Intel CPU model: judged by Intel's rules.
boot intel "$image" --cpu Skylake-Client
csv=$(one_csv intel)
check "intel: one CSV, judged by the intel rules" \
    bash -c "[ -n '$csv' ] && grep -qx '# model_vendor: intel' '$csv'"
check "intel: dbsweep-report check re-judges every row as the app did" \
    bash -c "[ -n '$csv' ] && '$build/dbsweep-report' check -o /dev/null '$csv'"
[ -n "$csv" ] && cp "$csv" "$build/e2e-last-intel.csv" && judge intel "$csv" || true

# 1b. Both again under each further QEMU (a QEMU release beside the
#     system's), judged against that version's lists. The CSV names QEMU's
#     machine type (pc-q35-X.Y), which is how the lists' [qemu-X.Y] sections
#     and dbsweep-report tell the version.
for q in "${qemus[@]}"; do
    v=$(ver_of "$q")
    has_list "$v"
    for vendor in amd intel; do
        name=$vendor-$v
        if [ "$vendor" = amd ]; then boot "$name" "$image" --qemu "$q"
        else boot "$name" "$image" --qemu "$q" --cpu Skylake-Client; fi
        csv=$(one_csv "$name")
        check "$name: one complete CSV, by the $vendor rules, naming the machine type pc-q35-$v" \
            bash -c "[ -n '$csv' ] && grep -qx '# model_vendor: $vendor' '$csv' &&
                     grep -qx '# system_version: pc-q35-$v' '$csv' && tail -n 1 '$csv' | grep -q '^# status: complete'"
        check "$name: dbsweep-report check re-judges every row as the app did" \
            bash -c "[ -n '$csv' ] && '$build/dbsweep-report' check -o /dev/null '$csv'"
        [ -n "$csv" ] && cp "$csv" "$build/e2e-last-$name.csv" && judge "$name" "$csv" "$v" || true
        # Every case whose events changed from the system's QEMU to this one
        # is in a behaviour row of tcg-known/qemu-A-vs-B.md (with its commit).
        table="$here/tcg-known/qemu-$qemu_ver-vs-$v.md" base=$(one_csv "$([ $vendor = amd ] && echo full || echo intel)")
        if [ -f "$table" ] && [ -n "$csv" ] && [ -n "$base" ]; then
            left=$("$here/unaccounted.sh" "$table" "$base" "$csv" "$build/dbsweep-report" 2>&1)
            check "$name: every case whose events differ from QEMU $qemu_ver's is in a row of $(basename "$table")${left:+ (not: $(echo $left | cut -c1-300))}" \
                [ -z "$left" ]
        fi
    done
done

# 1c. make usb's GPT disk, attached as a USB mass-storage stick (qemu-xhci).
boot usb "$usb_image" --usb
csv=$(one_csv usb)
check "usb: OVMF boots the stick as removable media and dbsweep writes a complete CSV" \
    bash -c "[ -n '$csv' ] && tail -n 1 '$csv' | grep -q '^# status: complete' &&
             grep -q 'USB' '$build/e2e-usb.log'"
[ -n "$csv" ] && judge usb "$csv" | grep -v '^xfail' || true

# 2. Machines that drop into the UEFI shell: without BOOTX64.EFI OVMF starts
#    its shell, which runs startup.nsh; dbsweep.cfg selects a subset.
cfg "# e2e: the kvm-unit-tests ports only" "cases=kut.*"
img=$(variant shell)
mdel -i "$img" ::/EFI/BOOT/BOOTX64.EFI
mcopy -i "$img" "$out/dbsweep.cfg" ::/dbsweep/dbsweep.cfg
boot shell "$img"
csv=$(one_csv shell)
check "shell: startup.nsh runs dbsweep, which returns to the shell (no self power-off)" \
    bash -c "[ -n '$csv' ] && ! grep -q 'powering off' '$build/e2e-shell.log'"
[ -n "$csv" ] && judge shell "$csv" || true

# 3. Started twice in one boot, with options on the shell's command line:
#    identical CSVs apart from the time, and two files (nothing overwritten);
#    cases in all four modes, and the firmware's CPU state (GDT, IDT, TR,
#    CR3, EFER, SYSCALL MSRs) the same before and after each run.
sel='kut.*,ssbp.popf.*,u64.ss.popf.*,k32.ss.iretq.*,u32.shadow.movss_mem.*,*.bs3.*'
img=$(shell_variant twice 'fs0:' "\dbsweep\dbsweep.efi cases=$sel" \
    "\dbsweep\dbsweep.efi cases=$sel" 'echo shell-alive-after-two-runs' 'reset -s')
boot twice "$img"
mapfile -t twice < <(ls "$out"/twice/*.csv 2>/dev/null)
if [ ${#twice[@]} -eq 2 ]; then
    ok "twice: two runs in one boot leave two CSVs"
    # The firmware may hand the second run another page for the case buffer:
    # absolute addresses (code_base, rip) may move, everything else may not.
    strip() { grep -v '^# uefi_time:\|^# uefi_time_end:\|^# code_base:' "$1" | cut -d, -f1-6,8-; }
    check "twice: the CSVs are identical apart from the times and the buffer address" \
        cmp -s <(strip "${twice[0]}") <(strip "${twice[1]}")
    check "twice: cases= on the command line selects ($(grep -vc '^#' "${twice[0]}") rows)" \
        bash -c "! grep -v '^#' '${twice[0]}' | tail -n +2 |
                 grep -qv '^kut\.\|^ssbp\.popf\.\|^u64\.ss\.popf\.\|^k32\.ss\.iretq\.\|^u32\.shadow\.movss_mem\.\|^\([uk][36][24]\.\)\?bs3\.'"
    check "twice: each run gives the firmware its CPU state back (GDT, IDT, TR, CR3, EFER, SYSCALL MSRs)" \
        bash -c "[ -n \"\$(sed -n 's/^# fw_state: //p' '${twice[0]}')\" ] &&
                 [ \"\$(sed -n 's/^# fw_state: //p' '${twice[0]}')\" = \"\$(sed -n 's/^# fw_state_after: //p' '${twice[0]}')\" ] &&
                 [ \"\$(sed -n 's/^# fw_state: //p' '${twice[1]}')\" = \"\$(sed -n 's/^# fw_state_after: //p' '${twice[1]}')\" ] &&
                 [ \"\$(sed -n 's/^# fw_state_after: //p' '${twice[0]}')\" = \"\$(sed -n 's/^# fw_state: //p' '${twice[1]}')\" ]"
    check "twice: the UEFI shell still works after both runs (it ran the next command)" \
        grep -aq '^shell-alive-after-two-runs' "$build/e2e-twice.log"
else
    bad "twice: two runs in one boot leave two CSVs (${#twice[@]})"
fi

# 3b. The same stick booted three times keeps three CSVs: nothing overwritten.
cfg "cases=kut.hw_bp1"
img=$(variant thrice)
mcopy -i "$img" "$out/dbsweep.cfg" ::/dbsweep/dbsweep.cfg
for i in 1 2 3; do
    "$tools/qemu-run.sh" --image "$img" --in-place --accel tcg --timeout 300 --quiet \
        --log "$build/e2e-thrice-$i.log" >/dev/null 2>&1
done
n=$(mdir -b -i "$img" ::/dbsweep/results 2>/dev/null | grep -ci '\.csv$')
check "thrice: three boots of one image leave three CSVs ($n)" [ "$n" -eq 3 ]

# 3c. Seeded random cases: the same seed booted twice, and under each other
#     QEMU given, runs the same cases (names, bytes, breakpoints, arming,
#     mode), the ones dbsweep-list prints, each with a verdict. Not judged
#     against the known lists: those name the table's cases, and what a random
#     case shows under TCG is for a person to read (README, Seeded random cases).
random_cases() { # CSV: case, tf, bps, bytes and mode of each case, from repetition 0
    /usr/bin/python3 - "$1" <<'PY'
import csv, sys
rows = csv.DictReader(l for l in open(sys.argv[1]) if not l.startswith('#'))
seen = set()
for r in rows:
    if r['case'] not in seen:
        seen.add(r['case'])
        print('\t'.join((r['case'], r['tf'], r['bps'] or '-', r['bytes'], r['mode'])))
PY
}
random_judged() { # CSV: every row has a verdict, but a skipped case's
    /usr/bin/python3 - "$1" <<'PY'
import csv, sys
rows = list(csv.DictReader(l for l in open(sys.argv[1]) if not l.startswith('#')))
bad = [r['case'] for r in rows if r['verdict'] not in ('match', 'mismatch', 'undefined')
       and not (r['verdict'] == 'none' and r['note'] == 'skipped')]
sys.exit(1 if bad or not rows else 0)
PY
}
rsel="random:5:500"
img=$(configured random "cases=$rsel")
boot random1 "$img"
boot random2 "$img"
for q in "${qemus[@]}"; do boot "random-qemu$(ver_of "$q")" "$img" --qemu "$q"; done
r1=$(one_csv random1)
if [ -n "$r1" ]; then
    random_cases "$r1" >"$out/random1.cases"
    check "random: $rsel runs its 500 cases" [ "$(wc -l <"$out/random1.cases")" -eq 500 ]
    check "random: every random case has a verdict (or was skipped for a need unmet)" random_judged "$r1"
    "$build/dbsweep-list" "$rsel" 2>/dev/null | cut -f1-3,5 >"$out/random.list"
    check "random: the cases are the ones dbsweep-list prints (name, arming, bytes, breakpoints)" \
        cmp -s <(awk -F'\t' -v OFS='\t' '{print $1, $2, $4, $3}' "$out/random1.cases") \
        "$out/random.list"
    check "random: dbsweep-report check re-judges each case, found by its name" \
        bash -c "'$build/dbsweep-report' check '$r1' >/dev/null"
    for d in "$out"/random2 "$out"/random-qemu*; do
        [ -d "$d" ] || continue
        r=$(one_csv "$(basename "$d")")
        [ -n "$r" ] && random_cases "$r" >"$d.cases"
        check "random: $(basename "$d") runs the same cases as random1 (bytes, breakpoints, arming, mode)" \
            cmp -s "$out/random1.cases" "$d.cases"
    done
    r2=$(one_csv random2)
    check "random: dbsweep-report diff compares the two boots case by case (no difference)" \
        bash -c "[ -n '$r2' ] && '$build/dbsweep-report' diff '$r1' '$r2' --quiet"
else
    bad "random: one CSV"
fi

# 4. cases=none: nothing runs, the CSV is still complete with its metadata.
cfg "cases=none"
img=$(variant none)
mcopy -i "$img" "$out/dbsweep.cfg" ::/dbsweep/dbsweep.cfg
boot none "$img"
csv=$(one_csv none)
check "none: a complete CSV with metadata and no rows" \
    bash -c "[ -n '$csv' ] && tail -n 1 '$csv' | grep -q '^# status: complete' &&
             grep -q '^# cases: 0$' '$csv' && [ \$(grep -vc '^#' '$csv') -eq 1 ]"
[ -n "$csv" ] && check "none: CSV loads with pandas" pandas_loads "$csv"

# 5. A bad config file: a clear message naming line and key, in an ERROR
#    file too; nothing run; on_finish (given before the bad line) honoured.
cfg "on_finish=shutdown" "cases=kut.*" "colour=blue"
img=$(variant badcfg)
mcopy -i "$img" "$out/dbsweep.cfg" ::/dbsweep/dbsweep.cfg
boot badcfg "$img" --allow-no-csv
msg="\\dbsweep\\dbsweep.cfg:3: unknown key 'colour'"
check "badcfg: the console names the file, line and key; nothing was run" \
    grep -qF "ERROR: $msg; nothing was run" "$build/e2e-badcfg.log"
check "badcfg: the message is also in \\dbsweep\\results\\ERROR-<time>.txt" \
    bash -c "grep -qxF \"$msg\" '$out'/badcfg/ERROR-*.txt"
check "badcfg: writes no CSV" bash -c "! ls '$out'/badcfg/*.csv >/dev/null 2>&1"

# 6. serial=on: a KTAP result line per case and group, and the CSV over COM1
#    deflated in base64 lines between DBSWEEP BEGIN/END; the host tool
#    recovers it from the console log, identical to the ESP file.
boot serial "$(configured serial "cases=kut.*" "serial=on" "label=e2e-serial")"
csv=$(one_csv serial)
log="$build/e2e-serial.log"
mkdir -p "$out/fromlog"
check "serial: the label is in the file name" bash -c "[[ '$csv' == *-e2e-serial.csv ]]"
check "serial: each KTAP line reaches COM1 once (OVMF's console is on it already: no mirror)" \
    bash -c "[ \$(grep -ac '^    ok 1 kut.hw_bp1 # match' '$log') -eq 1 ]"
check "serial: LAVA's monitor pattern reads one result per case and group, as the CSV judged them" \
    /usr/bin/python3 "$here/ktap_check.py" "$log" "$csv"
check "serial: the CSV goes deflated, in base64 lines (no CSV row on the console)" \
    bash -c "grep -aq '^DBSWEEP BEGIN .*-e2e-serial.csv gzip-base64' '$log' && ! grep -aq '^kut.hw_bp1,kut,0' '$log'"
check "serial: dbsweep-serial-extract recovers the CSV from the console log" \
    "$build/dbsweep-serial-extract" "$log" "$out/fromlog"
check "serial: the recovered CSV is byte for byte the ESP file" \
    cmp "$csv" "$out/fromlog/$(basename "$csv")"
check "serial: base64 -d | gunzip gives it back too" \
    bash -c "sed -n '/^DBSWEEP BEGIN/,/^DBSWEEP END/p' '$log' | sed '1d;\$d' | base64 -di | gunzip | cmp - '$csv'"
check "serial: -o - writes it to standard output" \
    bash -c "'$build/dbsweep-serial-extract' -o - '$log' 2>/dev/null | cmp - '$csv'"
head -n "$(($(grep -an '^DBSWEEP BEGIN' "$log" | cut -d: -f1) + 5))" "$log" >"$out/cut.log"
check "serial: a log cut short is reported as truncated (exit 1)" extract_fails truncated "$out/cut.log"
# one base64 character of the third line changed
awk '/^DBSWEEP BEGIN/ {b = NR} b && NR == b + 3 {sub(/^./, substr($0, 1, 1) == "A" ? "B" : "A")} 1' \
    "$log" >"$out/garbled.log"
check "serial: a garbled copy is reported as garbled (exit 1)" extract_fails garbled "$out/garbled.log"

# 6a. serial=plain: the CSV byte for byte, as before serial=on deflated it.
boot plain "$(configured plain "cases=kut.*" "serial=plain")"
csv=$(one_csv plain)
log="$build/e2e-plain.log"
mkdir -p "$out/plainlog"
check "plain: the CSV rows are on the console as they are in the file" \
    bash -c "grep -aq '^DBSWEEP BEGIN [^ ]*\.csv\r*$' '$log' && grep -aq '^kut.hw_bp1,kut,0' '$log'"
check "plain: dbsweep-serial-extract recovers it byte for byte" \
    bash -c "'$build/dbsweep-serial-extract' '$log' -o '$out/plainlog' && cmp '$csv' '$out/plainlog/$(basename "$csv")'"
sed '0,/^kut.hw_bp1,kut,0/s//kut.hw_bp1,kut,9/' "$log" >"$out/garbled-plain.log"
check "plain: a garbled copy fails its CRC (exit 1)" extract_fails garbled "$out/garbled-plain.log"

# 6b. A firmware whose console is not on COM1 (the shell deletes the ConOut
#     variable first, which is what dbsweep reads): dbsweep mirrors the
#     console itself, so OVMF's copy and the mirror both reach the log.
img=$(shell_variant mirror 'dmpstore -d ConOut' 'fs0:' \
    '\dbsweep\dbsweep.efi cases=kut.hw_bp1 serial=on' 'reset -s')
boot mirror "$img"
twice() { # each LINE-PATTERN twice in the log: OVMF's copy and dbsweep's mirror
    local log=$1 re
    shift
    for re in "$@"; do [ "$(grep -ac "$re" "$log")" -eq 2 ] || { echo "# once only: $re"; return 1; }; done
}
check "mirror: with ConOut not naming COM1, dbsweep mirrors every line there (banner, cpu, KTAP, summary)" \
    twice "$build/e2e-mirror.log" '^dbsweep [0-9.]*: #DB corner cases' '^cpu: ' '^cases: 1 of ' \
    '^    ok 1 kut.hw_bp1 # match' '^ok 1 kut # match' '^dbsweep: 1 cases x 3 reps' '^dbsweep: wrote '

mkdir -p "$out/mirrorlog"
check "mirror: the CSV still comes back whole" \
    "$build/dbsweep-serial-extract" "$build/e2e-mirror.log" "$out/mirrorlog"

# 7. Twenty kinds of bad options in one boot, from the shell's command line
#    (on_finish=return first, so each run comes back to the shell).
bad_args=("reps=0" "reps=10" "reps=x" "reps=99999" "max_events=0" "max_events=33"
    "max_events=-1" "on_finish=halt" "serial=yes" "serial=ON" "label=a/b"
    "label=123456789012345678901234567890123" "colour=blue" "REPS=3" "=3" "reps"
    "cases=" "reps=3 reps=4" "cases=$(printf 'k%.0s' $(seq 600))" "label=ok stray")
runs=()
for a in "${bad_args[@]}"; do runs+=("\\dbsweep\\dbsweep.efi on_finish=return $a"); done
img=$(shell_variant badargs 'fs0:' "${runs[@]}" 'reset -s')
boot badargs "$img" --allow-no-csv
n=$(grep -c "ERROR: command line: .*; nothing was run" "$build/e2e-badargs.log")
check "badargs: ${#bad_args[@]} bad command lines, each refused with a message ($n)" \
    [ "$n" -eq "${#bad_args[@]}" ]
n=$(ls "$out"/badargs/ERROR-*.txt 2>/dev/null | wc -l)
check "badargs: each left its own ERROR file, none overwritten ($n)" [ "$n" -eq "${#bad_args[@]}" ]
check "badargs: no CSV" bash -c "! ls '$out'/badargs/*.csv >/dev/null 2>&1"

# 8. A case that resets the machine (selftest.triple_fault), QEMU allowed to
#    reboot: boot 1 dies in a batch, boot 2 reruns the batch one case at a
#    time and dies in the case, boot 3 records it as crashed, goes on with
#    the rest and completes.
cfg "cases=selftest.triple_fault,kut.hw_bp1,kut.hw_bp2" "on_finish=shutdown" "serial=on"
img=$(variant crash)
mcopy -i "$img" "$out/dbsweep.cfg" ::/dbsweep/dbsweep.cfg
boot crash "$img" --reboot
mapfile -t runs < <(ls "$out"/crash/*.csv 2>/dev/null)
check "crash: three boots, three CSVs (${#runs[@]})" [ "${#runs[@]}" -eq 3 ]
if [ "${#runs[@]}" -eq 3 ]; then
    check "crash: the first two runs are flagged incomplete" \
        bash -c "! grep -q '^# status: complete' '${runs[0]}' '${runs[1]}'"
    check "crash: the third names the run it resumes and the crashed case" \
        bash -c "grep -qx '# resumed_from: $(basename "${runs[1]}")' '${runs[2]}' &&
                 grep -qx '# crashed_case: selftest.triple_fault' '${runs[2]}'"
    check "crash: the crashed case has a row noted 'crashed'" \
        bash -c "grep -q '^selftest.triple_fault,selftest,0,,.*,crashed,' '${runs[2]}'"
    check "crash: the run went on after it and completed" \
        bash -c "grep -q '^kut.hw_bp2,kut,2,0,1,' '${runs[2]}' && tail -n 1 '${runs[2]}' | grep -q '^# status: complete'"
    check "crash: no progress marker is left behind" bash -c "! ls '$out'/crash/PROGRESS* >/dev/null 2>&1"
    check "crash: the third boot says so and its KTAP lines report the case crashed, its group failed" \
        bash -c "grep -aq 'went down in case selftest.triple_fault: recorded as crashed' '$build/e2e-crash.log' &&
                 grep -aq '^    not ok 1 selftest.triple_fault # crashed' '$build/e2e-crash.log' &&
                 grep -aq '^not ok 1 selftest # crashed' '$build/e2e-crash.log' &&
                 grep -aq '^ok 2 kut # match' '$build/e2e-crash.log'"
fi

# 9. tools/qemu-run.sh (what make run calls) with --accel auto: KVM when it
#    can run the firmware; when it cannot (as on machines whose /dev/kvm is a
#    software hypervisor), one line says why and the run goes on under TCG.
#    What the terminal shows has no OVMF escape sequences; the log keeps them.
mkdir -p "$out/auto"
"$tools/qemu-run.sh" --image "$(configured auto "cases=kut.hw_bp1")" --out "$out/auto" --log "$build/e2e-auto.log" --timeout 300 \
    >"$out/auto.txt" 2>&1
rc=$?
if grep -q 'falling back to TCG' "$out/auto.txt"; then
    check "auto: KVM cannot run it here; one line says why ($(sed -n 's/.*KVM not usable here: \([^(;]*[^(; ]\).*/\1/p' "$out/auto.txt"))" \
        bash -c "[ $rc -eq 0 ] && [ \$(grep -c 'KVM not usable here: .*; falling back to TCG' '$out/auto.txt') -eq 1 ] &&
                 grep -q 'accel=tcg' '$out/auto.txt'"
else
    check "auto: boots under KVM" bash -c "[ $rc -eq 0 ] && grep -q 'accel=kvm' '$out/auto.txt'"
fi
check "auto: no QEMU message or dump on the terminal" \
    bash -c "! grep -q 'qemu-system-x86_64\|Assertion\|Aborted\|RAX=' '$out/auto.txt'"
check "auto: the terminal gets no escape sequences; the console log keeps OVMF's" \
    bash -c "! grep -q \$'\\x1b' '$out/auto.txt' && grep -q \$'\\x1b\\\\[2J' '$build/e2e-auto.log'"
[ "$rc" -eq 0 ] || sed 's/^/# /' "$out/auto.txt"

# 10. Every core (README.md, "Every core"): under -smp 4, cores=all runs the
#     whole table on each logical CPU in turn through MP services, one CSV
#     per core; one emulator under them all, so the same events on each.
#     Then a case that spins on an AP (selftest.spin_ap): that core is
#     stopped after core_timeout and recorded as timed out, and the next
#     core in the list still runs (the BSP, which skips the case).
# four full CSVs (~11 MB each) need a file system larger than the image's 32 MiB
mcopy -i "$image" ::/EFI/BOOT/BOOTX64.EFI "$out/cores.efi"
"$tools/mkimage.sh" --size 64 "$out/cores.img" "$out/cores.efi" "$here/../../startup.nsh" >/dev/null
cfg "cores=all" "on_finish=shutdown"
mcopy -i "$out/cores.img" "$out/dbsweep.cfg" ::/dbsweep/dbsweep.cfg
boot cores "$out/cores.img" --smp 4
mapfile -t runs < <(ls "$out"/cores/*.csv 2>/dev/null)
check "cores: 4 CSVs, one per logical CPU (${#runs[@]})" [ "${#runs[@]}" -eq 4 ]
cpu0=$(ls "$out"/cores/*-cpu0.csv 2>/dev/null)
for i in 0 1 2 3; do
    f=$(ls "$out"/cores/*-cpu$i.csv 2>/dev/null)
    check "cores: -cpu$i.csv is complete, for apic_id $i, cpu_index $i, cores: all, with its core_type" \
        bash -c "[ -n '$f' ] && tail -n 1 '$f' | grep -qx '# status: complete' &&
                 grep -qx '# apic_id: $i' '$f' && grep -qx '# cpu_index: $i' '$f' &&
                 grep -qx '# cores: all' '$f' && grep -qx '# core_type: not hybrid' '$f'"
    check "cores: -cpu$i.csv: the firmware's CPU state is given back on that core" \
        bash -c "[ -n '$f' ] && [ \"\$(sed -n 's/^# fw_state: //p' '$f')\" = \"\$(sed -n 's/^# fw_state_after: //p' '$f')\" ]"
    [ "$i" -eq 0 ] || check "cores: -cpu$i.csv has every case of -cpu0.csv with the same events and verdicts (dbsweep-report diff)" \
        "$build/dbsweep-report" diff --quiet "$cpu0" "$f"
done
check "cores: the rows of the whole table on 4 cores re-judge as the app judged them" \
    "$build/dbsweep-report" check -o /dev/null "${runs[@]}"
check "cores: the console says no core differs from the first" \
    grep -aq "^dbsweep: no core differs from APIC ID 0 in events" "$build/e2e-cores.log"
check "cores: dbsweep-report summary takes the 4 CSVs as cores of one run, all agreeing" \
    bash -c "out=\$('$build/dbsweep-report' summary ${runs[*]}) || true
             grep -q '^cores: *4 files of one run (cores=all' <<<\"\$out\" &&
             grep -q '^  agree: ' <<<\"\$out\" && ! grep -q 'cases compared differ' <<<\"\$out\""

boot spin "$(configured spin "cases=selftest.spin_ap,kut.hw_bp1" "cores=1,0" "core_timeout=2" \
    "on_finish=shutdown")" --smp 2
ap=$(ls "$out"/spin/*-cpu1.csv 2>/dev/null) bsp=$(ls "$out"/spin/*-cpu0.csv 2>/dev/null)
check "spin: the AP stopped after core_timeout is recorded so: '# status: timeout' last, naming the case" \
    bash -c "[ -n '$ap' ] && tail -n 1 '$ap' | grep -qx '# status: timeout' &&
             grep -qx '# timeout_case: selftest.spin_ap' '$ap'"
check "spin: dbsweep-report verdicts fails that run (incomplete)" \
    bash -c "[ -n '$ap' ] && ! '$build/dbsweep-report' verdicts --format tap '$ap' >/dev/null 2>&1"
check "spin: the next core still ran: the BSP skips the spinning case, runs the rest, completes" \
    bash -c "[ -n '$bsp' ] && tail -n 1 '$bsp' | grep -qx '# status: complete' &&
             grep -q '^selftest.spin_ap,selftest,0,.*,skipped,' '$bsp' && grep -q '^kut.hw_bp1,kut,2,0,1,' '$bsp'"
check "spin: the console says which core timed out, in which case" \
    grep -aq "core APIC ID 1 did not finish in 2 s (.*) in case selftest.spin_ap" "$build/e2e-spin.log"

summary e2e "shell checks"
