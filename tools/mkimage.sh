#!/bin/sh
# mkimage.sh OUT.img APP.efi STARTUP.nsh
# A FAT ESP image made with mtools (no root): \EFI\BOOT\BOOTX64.EFI boots
# dbsweep as removable media; \dbsweep\dbsweep.efi and \startup.nsh serve
# machines that drop into the UEFI shell.
set -eu
out=$1 app=$2 nsh=$3
tmp="$out.tmp"
rm -f "$tmp"
truncate -s 32M "$tmp"
mformat -i "$tmp" -T 65536 -h 64 -s 32 -v DBSWEEP ::
mmd -i "$tmp" ::/EFI ::/EFI/BOOT ::/dbsweep ::/dbsweep/results
mcopy -i "$tmp" "$app" ::/EFI/BOOT/BOOTX64.EFI
mcopy -i "$tmp" "$app" ::/dbsweep/dbsweep.efi
mcopy -i "$tmp" "$nsh" ::/startup.nsh
mv "$tmp" "$out"
echo "image: $out"
