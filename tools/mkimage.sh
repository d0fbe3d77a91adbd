#!/bin/sh
# mkimage.sh [--gpt] [--size MIB] OUT.img APP.efi STARTUP.nsh
# The FAT file system dbsweep boots from, made with mtools (no root, no loop
# devices): \EFI\BOOT\BOOTX64.EFI boots dbsweep as removable media;
# \dbsweep\dbsweep.efi and \startup.nsh serve machines that drop into the UEFI
# shell; \dbsweep\results\ receives the CSVs. Without --gpt the image is the
# bare file system (a "superfloppy", for VMs); with --gpt it is a whole disk
# for a USB stick: a GPT (sfdisk) with one EFI System Partition. --size
# makes the bare file system MIB MiB instead of 32 (at most 256: FAT16 with
# 4 KiB clusters), for runs whose CSV outgrows it (random:1:20000, ~41 MB);
# with --gpt, the disk MIB MiB instead of 64 (FAT32: 64 or more), for runs
# that write many CSVs (cores=all: ~11 MB per core for the whole table).
set -eu
gpt=0 mib=""
[ "$1" = --gpt ] && { gpt=1; shift; }
[ "$1" = --size ] && { mib=$2; shift 2; }
[ -n "$mib" ] || mib=$((gpt ? 64 : 32))
out=$1 app=$2 nsh=$3
tmp="$out.tmp"
rm -f "$tmp"
if [ $gpt = 1 ]; then
    truncate -s "${mib}M" "$tmp"
    # 1 MiB aligned, to the end of the disk (sfdisk leaves room for the backup GPT)
    printf 'label: gpt\nstart=2048, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, name="DBSWEEP"\n' |
        sfdisk --quiet "$tmp"
    sectors=$(sfdisk -d "$tmp" | sed -n 's/.*size= *\([0-9]*\).*/\1/p')
    fs="$tmp@@1M"
    mformat -i "$fs" -F -T "$sectors" -h 64 -s 32 -v DBSWEEP ::
else
    truncate -s "${mib}M" "$tmp"
    fs="$tmp"
    # FAT16 with 4 KiB clusters (8192 of them at 32 MiB): OVMF's FAT driver
    # allocates and writes cluster by cluster, and a full sweep's 11 MB CSV
    # took 0.09 s more under TCG with mformat's default 512-byte clusters
    mformat -i "$fs" -T $((mib * 2048)) -h 64 -s 32 -c 8 -v DBSWEEP ::
fi
mmd -i "$fs" ::/EFI ::/EFI/BOOT ::/dbsweep ::/dbsweep/results
mcopy -i "$fs" "$app" ::/EFI/BOOT/BOOTX64.EFI
mcopy -i "$fs" "$app" ::/dbsweep/dbsweep.efi
mcopy -i "$fs" "$nsh" ::/startup.nsh
mv "$tmp" "$out"
echo "image: $out"
