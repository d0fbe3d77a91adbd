#!/bin/bash
# qemu-power.sh on|off DIR: the stand-in lab machine of tests/lab/lab.sh, in
# the place of a PDU command. "on" boots DIR/stick.img (kept in place, like a
# stick) as a USB stick in OVMF, COM1 written to DIR/com1.log, which the
# stand-in serial server follows; "off" pulls the plug.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=$2
case $1 in
on)
    # its own session, so that the hangup a lab engine's pty sends when this
    # command ends (lava-run runs it on one) does not pull the plug; the pid
    # file is written once the machine has its session: until then it could
    # still be hung up, so wait for it (a busy host can take a while)
    rm -f "$dir/power.pid"
    setsid -f bash -c 'echo $$ >"$1/power.pid.new" && mv "$1/power.pid.new" "$1/power.pid" &&
                       exec "${@:2}"' _ "$dir" \
        "$here/../../tools/qemu-run.sh" --image "$dir/stick.img" --in-place --usb --accel tcg \
        --quiet --timeout 300 --log "$dir/com1.log" \
        </dev/null >>"$dir/power.log" 2>&1
    for _ in $(seq 300); do [ -f "$dir/power.pid" ] && exit 0; sleep 0.1; done
    echo "qemu-power.sh: the machine in $dir did not start within 30 s (log: $dir/power.log)" >&2
    exit 1 ;;
off)
    if [ -f "$dir/power.pid" ]; then
        kill -- "-$(cat "$dir/power.pid")" 2>/dev/null || true
        rm -f "$dir/power.pid"
    fi ;;
*) echo "usage: qemu-power.sh on|off DIR" >&2; exit 2 ;;
esac
