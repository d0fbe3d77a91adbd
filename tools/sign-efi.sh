#!/bin/sh
# sign-efi.sh KEY CERT IN.efi OUT.efi
# Signs IN for UEFI Secure Boot with sbsigntool (KEY: PEM private key, CERT:
# its PEM certificate, the one a lab enrolls in db or as a MOK) and writes OUT
# only once sbverify finds that signature valid for CERT. An encrypted KEY
# makes sbsign ask for its passphrase on the terminal.
set -eu
[ $# -eq 4 ] || { echo "usage: sign-efi.sh KEY CERT IN.efi OUT.efi" >&2; exit 2; }
key=$1 cert=$2 in=$3 out=$4
fail() { echo "sign-efi: ERROR: $*" >&2; exit 1; }
[ -n "$key" ] || fail "no signing key: give SIGN_KEY=KEY.pem together with SIGN_CERT=CERT.pem"
[ -n "$cert" ] || fail "no certificate: give SIGN_CERT=CERT.pem together with SIGN_KEY=KEY.pem"
[ -r "$key" ] || fail "the signing key $key is missing or unreadable"
[ -r "$cert" ] || fail "the certificate $cert is missing or unreadable"
command -v sbsign >/dev/null && command -v sbverify >/dev/null ||
    fail "sbsign/sbverify not found: install Debian's sbsigntool (make deps)"
tmp="$out.tmp"
rm -f "$tmp"
trap 'rm -f "$tmp"' EXIT
sbsign --key "$key" --cert "$cert" --output "$tmp" "$in" ||
    fail "sbsign could not sign $in with $key and $cert (does the key belong to the certificate?)"
sbverify --cert "$cert" "$tmp" >/dev/null 2>&1 ||
    fail "the signature on $in does not verify against $cert (sbverify --cert $cert)"
mv "$tmp" "$out"
echo "signed: $out (verified against $cert)"
