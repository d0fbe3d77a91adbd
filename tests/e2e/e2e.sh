#!/bin/bash
# e2e.sh IMAGE: boots the image in OVMF under TCG (this is what the known
# divergence list describes), reads the CSV back with mtools and checks it.
# Prints one line per check and ends with "e2e: N passed, N failed".
set -uo pipefail
here=$(dirname "$0")
image=$1
build=$(dirname "$image")
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
log="$build/e2e-console.log"
pass=0 fail=0
ok() { echo "ok - $*"; pass=$((pass + 1)); }
bad() { echo "FAIL - $*"; fail=$((fail + 1)); }

if "$here/../../tools/qemu-run.sh" --image "$image" --out "$out" --log "$log" --accel tcg \
    --timeout 300 --quiet >"$out/qemu-run.txt" 2>&1; then
    ok "image boots in OVMF under TCG, runs, powers off and leaves a CSV ($(grep -o 'VM ran [0-9.]* s' "$out/qemu-run.txt"))"
else
    sed 's/^/# /' "$out/qemu-run.txt"
    bad "image boots and powers off with a CSV (console log: $log)"
    echo "e2e: $pass passed, $fail failed"
    exit 1
fi
csvs=("$out"/*.csv)
[ ${#csvs[@]} -eq 1 ] && ok "exactly one CSV written" || bad "exactly one CSV written (${#csvs[@]})"
csv=${csvs[0]}
cp "$csv" "$build/e2e-last.csv"

grep -q "kut.singlestep_with_code_db \.\.\. " "$log" && ok "console shows a progress line per case" ||
    bad "console shows progress lines"
grep -q "^dbsweep: .* cases x 3 reps: " "$log" && ok "console shows the summary" ||
    bad "console shows the summary"
grep -q "powering off" "$log" && ok "app powers the VM off when booted as BOOTX64.EFI" ||
    bad "app announces power-off"

if /usr/bin/python3 - "$csv" <<'PY'
import sys, pandas
df = pandas.read_csv(sys.argv[1], comment='#')
cols = "case,group,rep,event,vector,error,rip,rip_off,rflags,dr6,dr7,exp_vector,exp_rip_off,exp_dr6,verdict,agree,tf,bps,bytes".split(",")
assert list(df.columns) == cols, list(df.columns)
assert len(df) > 0 and set(df["rep"]) == {0, 1, 2}
PY
then ok "CSV loads with pandas.read_csv(path, comment='#') with the schema-1 columns"
else bad "CSV loads with pandas"; fi

# Machines that drop into the UEFI shell: the same image without BOOTX64.EFI
# makes OVMF start its shell, which runs startup.nsh.
cp "$image" "$out/shell.img"
mdel -i "$out/shell.img" ::/EFI/BOOT/BOOTX64.EFI
mkdir -p "$out/shell"
if "$here/../../tools/qemu-run.sh" --image "$out/shell.img" --out "$out/shell" --accel tcg \
    --timeout 300 --quiet --log "$build/e2e-shell-console.log" >"$out/qemu-run.txt" 2>&1 &&
    tail -n 1 "$out"/shell/*.csv | grep -q '^# status: complete' &&
    ! grep -q "powering off" "$build/e2e-shell-console.log"; then
    ok "startup.nsh finds and runs dbsweep from the UEFI shell; it returns to the shell, which powers off"
else
    sed 's/^/# /' "$out/qemu-run.txt"
    bad "startup.nsh path (console log: $build/e2e-shell-console.log)"
fi

"$build/e2e-check" "$csv" "$here/tcg-known-divergences.txt"
rc=$?
echo "e2e: $pass passed, $fail failed (shell checks)"
[ $rc -eq 0 ] && [ $fail -eq 0 ]
