#!/bin/sh
# Installs the Debian packages given as arguments that are not installed yet.
# --no-recommends first: without the packages they recommend (lava-dispatcher
# would otherwise bring a kernel, lxc and an NFS server).
set -eu
recommends=""
[ "${1:-}" = --no-recommends ] && { recommends=--no-install-recommends; shift; }
missing=""
for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
        missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "dbsweep: installing missing Debian packages:$missing"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $recommends $missing >/dev/null
echo "dbsweep: packages installed"
