/* Serial output. */
#include <efi.h>
#include <efilib.h>
#include "serial.h"
#include "dbs_frame.h"

static SERIAL_IO_INTERFACE *port;
static EFI_DEVICE_PATH *port_path;

int serial_open(void)
{
    EFI_GUID guid = SERIAL_IO_PROTOCOL;
    EFI_HANDLE *handles;
    UINTN n = 0;

    port = NULL;
    if (EFI_ERROR(LibLocateHandle(ByProtocol, &guid, NULL, &n, &handles)))
        return 0;
    if (n && !EFI_ERROR(uefi_call_wrapper(BS->HandleProtocol, 3, handles[0], &guid,
                                          (void **)&port))) {
        port_path = DevicePathFromHandle(handles[0]);
        uefi_call_wrapper(port->SetAttributes, 7, port, 115200, 0, 0, NoParity, 8, OneStopBit);
    }
    FreePool(handles);
    return port != NULL;
}

/* Bytes of path (one instance) before its UART node (the port itself,
 * whatever its speed). */
static UINTN before_uart(EFI_DEVICE_PATH *path)
{
    EFI_DEVICE_PATH *node = path;

    while (!IsDevicePathEndType(node) && !(DevicePathType(node) == MESSAGING_DEVICE_PATH &&
                                       DevicePathSubType(node) == MSG_UART_DP))
        node = NextDevicePathNode(node);
    return (UINTN)((UINT8 *)node - (UINT8 *)path);
}

int serial_is_console(void)
{
    EFI_DEVICE_PATH *conout, *rest, *one;
    UINTN size, len, prefix;
    int found = 0;

    if (!port || !port_path)
        return 0;
    prefix = before_uart(port_path);
    conout = LibGetVariableAndSize(L"ConOut", &EfiGlobalVariable, &size);
    for (rest = conout; !found && rest && (one = DevicePathInstance(&rest, &len));)
        found = prefix && len > prefix && !CompareMem(one, port_path, prefix) &&
                before_uart(one) == prefix;
    if (conout)
        FreePool(conout);
    return found;
}

/* Waits until the UART has sent everything it holds: polled every 10 us so
 * that a byte at a time still runs at line rate (87 us per byte at 115200),
 * giving up after 10 s without progress (a stuck line or a host that stopped
 * reading). */
static int drained(void)
{
    unsigned tries;
    UINT32 control;

    for (tries = 0; tries < 1000000; tries++) {
        if (EFI_ERROR(uefi_call_wrapper(port->GetControl, 2, port, &control)) ||
            (control & EFI_SERIAL_OUTPUT_BUFFER_EMPTY))
            return 1;
        uefi_call_wrapper(BS->Stall, 1, 10);
    }
    return 0;
}

/* One byte per Write, each once the UART is empty, so a Write never has to
 * wait for the line. A Write that waits and times out is ambiguous: edk2's
 * PciSioSerialDxe reports the byte it was waiting on as unwritten but keeps
 * it queued and sends it later, so resending duplicates it (seen under QEMU
 * when the host reads the serial socket slowly). After a failed Write the
 * stream stops instead: the host then sees a truncated CSV, not a garbled
 * one. */
void serial_write(const void *data, UINTN len)
{
    const char *p = data;
    UINTN n;

    while (port && len && drained()) {
        n = 1;
        if (EFI_ERROR(uefi_call_wrapper(port->Write, 3, port, &n, (void *)p)) || n != 1) {
            port = NULL;
            return;
        }
        p++;
        len--;
    }
}

static void to_port(void *ctx, const uint8_t *p, size_t n)
{
    (void)ctx;
    serial_write(p, n);
}

EFI_STATUS serial_send_file(EFI_FILE_HANDLE dir, const char *name, enum dbs_frame_kind kind)
{
    static char chunk[16384];
    static struct dbs_frame frame;
    struct dbs_deflate *z = NULL;
    CHAR16 wname[128];
    EFI_FILE_HANDLE f;
    EFI_STATUS st;
    UINTN i, n;

    for (i = 0; name[i] && i + 1 < sizeof(wname) / sizeof(wname[0]); i++)
        wname[i] = (CHAR16)(unsigned char)name[i];
    wname[i] = 0;
    if (kind == DBS_FRAME_GZIP) {
        st = uefi_call_wrapper(BS->AllocatePool, 3, EfiLoaderData, sizeof(*z), (void **)&z);
        if (EFI_ERROR(st))
            return st;
    }
    st = uefi_call_wrapper(dir->Open, 5, dir, &f, wname, EFI_FILE_MODE_READ, 0);
    if (!EFI_ERROR(st)) {
        dbs_frame_begin(&frame, kind, z, name, to_port, NULL);
        for (;;) {
            n = sizeof(chunk);
            st = uefi_call_wrapper(f->Read, 3, f, &n, chunk);
            if (EFI_ERROR(st) || !n)
                break;
            dbs_frame_write(&frame, chunk, n);
        }
        uefi_call_wrapper(f->Close, 1, f);
        dbs_frame_end(&frame);
    }
    if (z)
        FreePool(z);
    return st;
}
