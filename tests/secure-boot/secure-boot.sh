#!/bin/bash
# secure-boot.sh APP.efi: dbsweep under UEFI Secure Boot. tools/sign-efi.sh
# (what make image/usb SIGN_KEY=... SIGN_CERT=... run) must refuse a missing
# key or certificate and a key that is not the certificate's, and sign with
# Debian's "snakeoil" test key (ovmf package: enrolled in PK, KEK and db of
# OVMF_VARS_4M.snakeoil.fd; the key's password is "snakeoil"). Then, in that
# firmware with Secure Boot enforced (qemu-run.sh --secure-boot, TCG), an
# image with the signed app must boot and write a complete CSV saying
# "secure_boot: on", and the same image unsigned must be refused: the firmware
# denies it, no CSV. The kut.* cases only, to keep it short. Ends with
# "secure-boot: N passed, N failed".
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tools="$here/../../tools"
app=$1
build=$(dirname "$app")
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
. "$here/../checks.sh"
snakeoil_key=/usr/share/ovmf/PkKek-1-snakeoil.key
snakeoil_cert=/usr/share/ovmf/PkKek-1-snakeoil.pem

# sign_fails WORD KEY CERT: sign-efi.sh exits 1 without writing, saying WORD
sign_fails() {
    local said
    said=$("$tools/sign-efi.sh" "$2" "$3" "$app" "$out/refused.efi" 2>&1)
    [ $? -eq 1 ] && [ ! -e "$out/refused.efi" ] && grep -q "$1" <<<"$said"
}
# image NAME APP: a boot image with APP and a dbsweep.cfg selecting kut.*
image() {
    printf '%s\n' "cases=kut.*" >"$out/dbsweep.cfg"
    "$tools/mkimage.sh" "$out/$1.img" "$2" "$here/../../startup.nsh" >/dev/null
    mcopy -i "$out/$1.img" "$out/dbsweep.cfg" ::/dbsweep/dbsweep.cfg
}
# boot NAME: boots $out/NAME.img in the Secure Boot firmware; CSVs in
# $out/NAME, console in $build/secure-boot-NAME.log, qemu-run's exit in $rc
boot() {
    mkdir -p "$out/$1"
    "$tools/qemu-run.sh" --image "$out/$1.img" --out "$out/$1" --log "$build/secure-boot-$1.log" \
        --accel tcg --secure-boot --timeout 120 --allow-no-csv --quiet >"$out/$1.txt" 2>&1
    rc=$?
}

for f in /usr/share/OVMF/OVMF_CODE_4M.snakeoil.fd /usr/share/OVMF/OVMF_VARS_4M.snakeoil.fd \
    "$snakeoil_key" "$snakeoil_cert"; do
    check "the ovmf package's Secure Boot test firmware and key are installed: $f" [ -r "$f" ]
done
# sbsign asks for an encrypted key's passphrase on the terminal: decrypted first
(umask 077 && openssl rsa -in "$snakeoil_key" -passin pass:snakeoil -out "$out/snakeoil.key" 2>/dev/null)
openssl req -new -x509 -newkey rsa:2048 -nodes -keyout "$out/other.key" -out "$out/other.pem" \
    -days 1 -subj /CN=dbsweep-test-other 2>/dev/null

check "sign-efi: refuses a missing key" sign_fails "$out/none.key is missing" "$out/none.key" "$snakeoil_cert"
check "sign-efi: refuses a key without a certificate" sign_fails "no certificate" "$out/snakeoil.key" ""
check "sign-efi: refuses a key that is not the certificate's" \
    sign_fails "does the key belong to the certificate" "$out/snakeoil.key" "$out/other.pem"
check "sign-efi: signs with the snakeoil key" \
    bash -c "'$tools/sign-efi.sh' '$out/snakeoil.key' '$snakeoil_cert' '$app' '$out/signed.efi' >/dev/null 2>&1"
check "sbverify: the signature verifies against the snakeoil certificate" \
    bash -c "sbverify --cert '$snakeoil_cert' '$out/signed.efi' >/dev/null 2>&1"
check "sbverify: and not against another certificate" \
    bash -c "! sbverify --cert '$out/other.pem' '$out/signed.efi' >/dev/null 2>&1"

# shim starts only images with an SBAT section of 6-field CSV lines, every field set
objcopy -O binary -j .sbat "$app" "$out/sbat.csv" 2>/dev/null
check "the app carries an SBAT section for shim (component sbat and dbsweep, 6 fields each)" \
    bash -c "[ \"\$(cut -d, -f1 '$out/sbat.csv' | tr '\n' ' ')\" = 'sbat dbsweep ' ] &&
             awk -F, 'NF != 6 { exit 1 } { for (i = 1; i <= 6; i++) if (\$i == \"\") exit 1 }' '$out/sbat.csv'"

image signed "$out/signed.efi"
boot signed
csv=("$out/signed"/*.csv)
if [ "$rc" -eq 0 ] && [ -f "${csv[0]}" ]; then
    ok "signed: boots under enforced Secure Boot and powers off ($(grep -o 'VM ran [0-9.]* s' "$out/signed.txt"))"
else
    sed 's/^/# /' "$out/signed.txt"
    bad "signed: boots under enforced Secure Boot and writes a CSV (console log: $build/secure-boot-signed.log)"
fi
check "signed: the CSV is complete" bash -c "[ -f '${csv[0]}' ] && [ \"\$(tail -n 1 '${csv[0]}')\" = '# status: complete' ]"
check "signed: the CSV says secure_boot: on" grep -qx '# secure_boot: on' "${csv[0]}"

image unsigned "$app"
boot unsigned
log="$build/secure-boot-unsigned.log"
check "unsigned: qemu-run says Secure Boot refused it (exit 7)" \
    bash -c "[ $rc -eq 7 ] && grep -q 'Secure Boot refused the image' '$out/unsigned.txt'"
check "unsigned: the firmware denied loading it from the disk" \
    grep -Eaq 'BdsDxe: failed to load Boot[0-9A-F]+ "UEFI QEMU HARDDISK.*: Access Denied' "$log"
check "unsigned: dbsweep never started, no CSV" \
    bash -c "! grep -aq '^dbsweep [0-9]' '$log' && [ -z \"\$(ls '$out/unsigned')\" ]"

summary secure-boot
