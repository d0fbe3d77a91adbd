#!/bin/bash
# qemu-backports.sh SERIES DEST: puts Debian bookworm-backports' QEMU SERIES
# (e.g. 10.0) under DEST, beside the system's QEMU and not over it:
# DEST/usr/bin/qemu-system-x86_64. Nothing is done when DEST holds it already.
#
# The packages (qemu-system-x86, -common, -data) are fetched with
# `apt-get download` and unpacked with `dpkg-deb -x`; their libraries are
# those the system's qemu-system-x86 brought (make deps). The backports
# suite is read from the mirror the machine's own Debian source entry names
# (/etc/apt/sources.list.d/*.sources or /etc/apt/sources.list, the one
# serving bookworm main), through an apt state private to DEST.apt: the
# system's apt sources, lists and cache are left as they are.
#
# Run the unpacked QEMU with -audio none (tools/qemu-run.sh does): it looks
# for its modules in the system's module directory, and loading one of the
# system QEMU's modules aborts it ("Only modules from the same build").
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: qemu-backports.sh SERIES DEST" >&2; exit 2; }
series=$1 dest=$2
qemu=$dest/usr/bin/qemu-system-x86_64
pkgs=(qemu-system-x86 qemu-system-common qemu-system-data)
default_keyring=/usr/share/keyrings/debian-archive-keyring.gpg

die() { echo "qemu-backports: ERROR: $*" >&2; exit 1; }

# The series a QEMU binary says it is (10.0 of "version 10.0.2 (Debian ...)").
series_of() { "$1" --version 2>/dev/null | sed -n 's/^QEMU emulator version \([0-9]*\.[0-9]*\).*/\1/p'; }

[ -x "$qemu" ] && [ "$(series_of "$qemu")" = "$series" ] && exit 0

# "URI KEYRING" of the first enabled deb source serving bookworm main; the
# keyring is the entry's Signed-By when that names a file.
debian_source() {
    local f
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -r "$f" ] || continue
        # deb822: stanzas of Key: value lines, separated by blank lines
        awk -v def="$default_keyring" '
            function flush() {
                if (types ~ /(^| )deb( |$)/ && suites ~ /(^| )bookworm( |$)/ &&
                    comps ~ /(^| )main( |$)/ && enabled !~ /^no$/ && uri != "") {
                    split(uri, u, " "); print u[1], (key ~ /^\// ? key : def); found = 1; exit
                }
                types = suites = comps = uri = key = enabled = ""
            }
            /^[ \t]*#/ { next }
            /^[ \t]*$/ { flush(); next }
            /^[^ \t]/ {
                k = tolower($0); sub(/:.*/, "", k); v = $0; sub(/^[^:]*:[ \t]*/, "", v)
                if (k == "types") types = v; else if (k == "suites") suites = v
                else if (k == "components") comps = v; else if (k == "uris") uri = v
                else if (k == "signed-by") key = v; else if (k == "enabled") enabled = tolower(v)
            }
            END { if (!found) flush() }' "$f" | head -n 1
    done
    [ -r /etc/apt/sources.list ] || return 0
    # one-line form: deb [options] URI suite component...
    sed -e 's/#.*//' /etc/apt/sources.list | awk -v def="$default_keyring" '
        $1 != "deb" { next }
        {
            key = def; i = 2
            if ($2 ~ /^\[/) {
                for (; i <= NF; i++) {
                    if ($i ~ /^\[?signed-by=\//) { key = $i; sub(/^\[?signed-by=/, "", key); sub(/\]$/, "", key) }
                    if ($i ~ /\]$/) { i++; break }
                }
            }
            if ($(i + 1) != "bookworm") next
            for (c = i + 2; c <= NF; c++) if ($c == "main") { print $i, key; exit }
        }'
}

read -r uri keyring < <(debian_source | head -n 1) || true
[ -n "${uri:-}" ] || die "no apt source of this machine serves Debian bookworm main (read /etc/apt/sources.list.d/*.sources and /etc/apt/sources.list)"
echo "qemu-backports: installing QEMU $series from bookworm-backports ($uri) into $dest"

dest=$(realpath -m "$dest")
state=$dest.apt
rm -rf "$state" "$dest.tmp"
mkdir -p "$state/sources.list.d" "$state/preferences.d" "$state/lists/partial" \
    "$state/cache/archives/partial" "$state/debs" "$dest.tmp"
printf 'deb [signed-by=%s] %s bookworm-backports main\n' "$keyring" "$uri" >"$state/sources.list"
apt_opts=(-o "Dir::Etc::sourcelist=$state/sources.list" -o "Dir::Etc::sourceparts=$state/sources.list.d"
    -o "Dir::Etc::preferencesparts=$state/preferences.d" -o "Dir::State::Lists=$state/lists"
    -o "Dir::Cache=$state/cache")
# as root apt downloads as the user _apt, which may not enter build/
[ "$(id -u)" -ne 0 ] || apt_opts+=(-o APT::Sandbox::User=root)

# apt-get update only warns when a suite cannot be fetched: a warning is a failure here
if ! apt-get "${apt_opts[@]}" -qq update >"$state/update.log" 2>&1 || grep -q '^[EW]: ' "$state/update.log"; then
    die "apt-get update of $uri bookworm-backports failed: $(grep -m1 '^[EW]: ' "$state/update.log" || tail -n 1 "$state/update.log")"
fi
version=$(apt-cache "${apt_opts[@]}" madison qemu-system-x86 |
    awk -F ' [|] ' '$3 ~ / bookworm-backports\/main / && !v { v = $2 } END { print v }')
[ -n "$version" ] || die "$uri bookworm-backports has no qemu-system-x86"
case $version in
*:"$series".* | "$series".*) ;;
*) die "bookworm-backports has qemu-system-x86 $version, not QEMU $series" ;;
esac
(cd "$state/debs" && apt-get "${apt_opts[@]}" -qq download "${pkgs[@]/%/=$version}") ||
    die "apt-get download of ${pkgs[*]} $version from $uri failed"
for deb in "$state"/debs/*.deb; do dpkg-deb -x "$deb" "$dest.tmp"; done

missing=$(ldd "$dest.tmp/usr/bin/qemu-system-x86_64" | awk '/not found/ { print $1 }' | tr '\n' ' ')
[ -z "$missing" ] || die "QEMU $version needs libraries this machine lacks: $missing(make deps installs the system's qemu-system-x86, which brings them)"
[ "$(series_of "$dest.tmp/usr/bin/qemu-system-x86_64")" = "$series" ] ||
    die "the unpacked $dest.tmp/usr/bin/qemu-system-x86_64 does not run or is not QEMU $series"
rm -rf "$dest" "$state"
mv "$dest.tmp" "$dest"
