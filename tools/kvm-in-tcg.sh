#!/bin/bash
# kvm-in-tcg.sh [--kernel PKG] [--reproduce | --tcg] [--image IMG] [--cases GLOBS]
#               [--out DIR] [--l0-qemu PATH] [--l0-cpu MODEL] [--kvm-amd OPTS]
#               [--l2-machine OPTS] [--l2-cpu MODEL] [--timeout SECONDS]
# Runs dbsweep under real KVM nested in QEMU TCG's SVM, from Debian packages
# only: L0 is QEMU TCG (-cpu max, which has SVM and NPT); L1 is a Debian
# kernel (PKG, or the one the meta-package PKG depends on; default
# linux-image-amd64's; fetched with apt-get download and unpacked under
# build/kvm-in-tcg/) with a busybox-static initramfs that loads kvm_amd and
# mounts this machine's root read-only over virtio-9p; L1 chroots into it
# and runs tools/qemu-run.sh --accel kvm (L2: OVMF + IMG under KVM). L2
# runs with KVM's in-kernel irqchip off (kernel-irqchip=off, and
# kvm-asyncpf-int=off, which needs it): then KVM
# intercepts every CR8 write of L2, and L0 never reaches its CR8-write
# helper in guest mode, which calls cpu_interrupt() without the BQL and
# aborts (docs/kvm-in-tcg.md). --reproduce keeps the in-kernel irqchip (the
# default a user gets) and so reproduces that abort. L0's console (L1's
# serial line, then L2's console) goes to build/kvm-in-tcg/l0.log; the CSVs
# to DIR (default build/kvm-in-tcg/out). --tcg runs the same image and
# cases under L0's TCG itself, no KVM: the reference a KVM run is diffed
# against.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
image=$root/build/dbsweep.img cases="kut.*,ss.*,shadow.*,data.hv.*"
l0_qemu=qemu-system-x86_64 l0_cpu=max l0_accel=tcg kvm_amd_opts="" l2_machine=kernel-irqchip=off l2_cpu=host,kvm-asyncpf-int=off
timeout=1800 kpkg=linux-image-amd64 out="" tcg=0
while [ $# -gt 0 ]; do
    case $1 in
    --kernel) kpkg=$2; shift 2 ;;
    --reproduce) l2_machine="" l2_cpu=host; shift ;;
    --tcg) tcg=1; shift ;;
    --out) out=$2; shift 2 ;;
    --image) image=$2; shift 2 ;;
    --cases) cases=$2; shift 2 ;;
    --l0-qemu) l0_qemu=$2; shift 2 ;;
    --l0-cpu) l0_cpu=$2; shift 2 ;;
    --l0-accel) l0_accel=$2; shift 2 ;;
    --kvm-amd) kvm_amd_opts=$2; shift 2 ;;
    --l2-machine) l2_machine=$2; shift 2 ;;
    --l2-cpu) l2_cpu=$2; shift 2 ;;
    --timeout) timeout=$2; shift 2 ;;
    *) echo "kvm-in-tcg.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
[ -r "$image" ] || { echo "kvm-in-tcg.sh: missing $image (make all builds it)" >&2; exit 2; }

# The Debian packages this needs on the host (the kernel is only unpacked).
"$root/tools/deps.sh" --no-recommends busybox-static cpio kmod xz-utils qemu-system-x86 ovmf mtools

work=$root/build/kvm-in-tcg
kit=$work/kit
[ -n "$out" ] || out=$work/out
mkdir -p "$kit" "$out"

# L2's image: the cases asked for, labelled with what ran them.
# image_with LABEL NAME: $work/NAME.img
image_with() {
    cp "$image" "$work/$2.img"
    printf 'cases=%s\nlabel=%s\n' "$cases" "$1" >"$work/$2.cfg"
    mcopy -o -i "$work/$2.img" "$work/$2.cfg" ::/dbsweep/dbsweep.cfg
}

if [ "$tcg" = 1 ]; then
    [ "$l0_qemu" = qemu-system-x86_64 ] || { echo "kvm-in-tcg.sh: --tcg runs the system QEMU only" >&2; exit 2; }
    image_with l0-tcg tcg
    exec nice -n 15 "$root/tools/qemu-run.sh" --image "$work/tcg.img" --accel tcg --cpu "$l0_cpu" \
        --quiet --out "$out"
fi

# L1's kernel, unpacked, not installed.
meta_dep=$(apt-cache depends "$kpkg" | sed -n 's/.*Depends: \(linux-image-[0-9].*\)/\1/p' | head -n 1)
[ -z "$meta_dep" ] || kpkg=$meta_dep
kver=${kpkg#linux-image-}
if [ ! -r "$kit/root/boot/vmlinuz-$kver" ]; then
    echo "kvm-in-tcg: fetching $kpkg"
    (cd "$kit" && apt-get download "$kpkg") 2>&1 | { grep -v '^W: Download is performed unsandboxed' || true; }
    dpkg-deb -x "$kit/$kpkg"_*.deb "$kit/root"
    rm "$kit/$kpkg"_*.deb
    depmod -b "$kit/root" "$kver"
fi

# The initramfs: busybox, the modules for 9p over virtio-pci and kvm_amd with
# what they depend on, uncompressed (busybox's insmod may not inflate them),
# in load order: modules.dep's line 'm: d1 d2 d3' loads as d3 d2 d1 m.
# Those built into the kernel (modules.builtin) are left out.
ird=$work/initramfs
rm -rf "$ird"
mkdir -p "$ird"/{bin,dev,proc,sys,host,mods}
cp /bin/busybox "$ird/bin/busybox"
mods=$kit/root/lib/modules/$kver
n=0
for m in virtio_pci 9pnet_virtio 9p kvm-amd; do
    line=$(grep -E "/$m\.ko(\.xz)?:" "$mods/modules.dep" || true)
    [ -n "$line" ] || { grep -q "/$m\.ko\$" "$mods/modules.builtin" && continue; }
    [ -n "$line" ] || { echo "kvm-in-tcg.sh: $kver has no module $m" >&2; exit 2; }
    # shellcheck disable=SC2086
    echo $line | tr -d ':' | tr ' ' '\n' | tac
done | awk '!seen[$0]++' | while read -r f; do
    n=$((n + 1))
    dest=$ird/mods/$(printf '%02d' "$n")-$(basename "${f%%.ko*}").ko
    case $f in
    *.xz) xz -dc "$mods/$f" >"$dest" ;;
    *) cp "$mods/$f" "$dest" ;;
    esac
done

image_with "$(printf 'l1-%s' "$kver" | tr -c 'A-Za-z0-9._-' - | cut -c 1-32)" l2

# L2 writes to share (L1 mounts it over 9p); its CSVs are then copied to out.
share=$work/share
rm -rf "$share"
mkdir -p "$share"

cat >"$ird/init" <<EOF
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
for m in /mods/*.ko; do
    case \$m in *-kvm-amd.ko) insmod \$m $kvm_amd_opts ;; *) insmod \$m ;; esac
done
echo "kvm-in-tcg: L1 \$(uname -r); kvm_amd: \$(cd /sys/module/kvm_amd/parameters && grep -H . * | tr '\n' ' ')"
mount -t 9p -o trans=virtio,version=9p2000.L,ro hostroot /host
mount -t devtmpfs dev /host/dev
mount -t proc proc /host/proc
mount -t sysfs sys /host/sys
mount -t tmpfs tmp /host/tmp
mount -t 9p -o trans=virtio,version=9p2000.L share /host$share
echo "kvm-in-tcg: L1 up after \$(cut -d' ' -f1 /proc/uptime) s; starting L2"
chroot /host /usr/bin/env PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/tmp \
    $root/tools/qemu-run.sh --image $work/l2.img --accel kvm --cpu $l2_cpu \
    --out $share --log $share/l2.log --timeout $timeout \
    ${l2_machine:+--machine-opts $l2_machine}
echo "kvm-in-tcg: L2 exited with \$? after \$(cut -d' ' -f1 /proc/uptime) s"
poweroff -f
EOF
chmod +x "$ird/init"
(cd "$ird" && find . | cpio -o -H newc --quiet | gzip -1) >"$work/initramfs.gz"

l0=(nice -n 15 "$l0_qemu" -accel "$l0_accel" -machine q35 -cpu "$l0_cpu" -smp 1 -m 2048
    -nographic -no-reboot -net none
    -kernel "$kit/root/boot/vmlinuz-$kver" -initrd "$work/initramfs.gz"
    -append "console=ttyS0 panic=-1 quiet"
    -virtfs "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap"
    -virtfs "local,path=$share,mount_tag=share,security_model=none")
# A QEMU from 8 on probes its audio modules (maybe another version's) unless
# told not to; 7.2's -audio wants a sound card model.
l0_major=$("$l0_qemu" --version | sed -n 's/.*version \([0-9]*\)\..*/\1/p')
[ "$l0_major" -lt 8 ] || l0+=(-audio none)
echo "kvm-in-tcg: L0 $("$l0_qemu" --version | head -n 1) -accel $l0_accel -cpu $l0_cpu; L1 $kpkg;" \
    "kvm_amd ${kvm_amd_opts:-(defaults)}; L2 -cpu $l2_cpu ${l2_machine:+-machine $l2_machine}"
start=$(date +%s.%N)
rc=0
timeout $((timeout + 300)) "${l0[@]}" </dev/null >"$work/l0.log" 2>&1 || rc=$?
end=$(date +%s.%N)
tr -d '\r' <"$work/l0.log" | grep -a -E 'kvm-in-tcg|qemu-run|assertion|Bail out|^dbsweep ' || true
echo "kvm-in-tcg: L0 exited with $rc after $(awk "BEGIN{printf \"%.1f\", $end - $start}") s; console: $work/l0.log"
[ "$rc" -eq 0 ] || exit "$rc"
found=0
for f in "$share"/*.csv; do
    [ -e "$f" ] || continue
    dest=$out/$(basename "$f")
    [ ! -e "$dest" ] || { echo "kvm-in-tcg.sh: $dest exists; left in $share" >&2; exit 4; }
    cp "$f" "$dest"
    echo "kvm-in-tcg: $dest"
    found=$((found + 1))
done
[ "$found" -gt 0 ] || { echo "kvm-in-tcg.sh: L2 wrote no CSV (its console: $share/l2.log)" >&2; exit 4; }
