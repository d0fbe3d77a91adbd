/* Reads the config file and the load options into struct dbs_options. */
#include <efi.h>
#include <efilib.h>
#include "config.h"
#include "esp.h"

#define CFG_MAX (64 * 1024)

/* UTF-16 to ASCII; anything else becomes 0x01 so the parser rejects it. */
static UINTN narrow(const CHAR16 *w, UINTN n, char *out, UINTN cap)
{
    UINTN i, k = 0;

    for (i = 0; i < n && k + 1 < cap; i++)
        out[k++] = w[i] < 0x80 ? (char)w[i] : 0x01;
    out[k] = 0;
    return k;
}

static EFI_STATUS read_file(EFI_HANDLE image, char *buf, UINTN *len)
{
    EFI_FILE_HANDLE root = esp_root(image);
    EFI_STATUS st;

    if (!root)
        return EFI_NOT_FOUND;
    st = esp_read_file(root, L"\\dbsweep\\dbsweep.cfg", buf, len);
    uefi_call_wrapper(root->Close, 1, root);
    return st;
}

EFI_STATUS config_load(EFI_HANDLE image, struct dbs_options *o, struct dbs_buf *err)
{
    static char raw[CFG_MAX], text[CFG_MAX];
    EFI_LOADED_IMAGE *li;
    UINTN len = sizeof(raw) - 2, n;
    EFI_STATUS st;

    dbs_options_default(o);
    st = read_file(image, raw, &len);
    if (!EFI_ERROR(st)) {
        if (len >= sizeof(raw) - 2) {
            dbs_put_str(err, "\\dbsweep\\dbsweep.cfg: larger than 64 KiB");
            dbs_buf_str(err);
            return EFI_BAD_BUFFER_SIZE;
        }
        if (len >= 2 && (UINT8)raw[0] == 0xff && (UINT8)raw[1] == 0xfe) { /* UTF-16LE BOM */
            n = narrow((const CHAR16 *)(raw + 2), (len - 2) / 2, text, sizeof(text));
            if (dbs_options_parse_file(o, text, n, "\\dbsweep\\dbsweep.cfg", err))
                return EFI_INVALID_PARAMETER;
        } else if (dbs_options_parse_file(o, raw, len, "\\dbsweep\\dbsweep.cfg", err)) {
            return EFI_INVALID_PARAMETER;
        }
    } else if (st != EFI_NOT_FOUND) {
        dbs_put_str(err, "\\dbsweep\\dbsweep.cfg: cannot be read");
        dbs_buf_str(err);
        return st;
    }

    st = uefi_call_wrapper(BS->HandleProtocol, 3, image, &LoadedImageProtocol, (void **)&li);
    if (EFI_ERROR(st) || !li->LoadOptions || li->LoadOptionsSize < 2)
        return EFI_SUCCESS;
    {
        const CHAR16 *w = li->LoadOptions;
        UINTN i, units = li->LoadOptionsSize / 2;

        /* Boot managers may pass binary data (OVMF: a GUID for boot entries
         * it created itself): only text is a command line. */
        for (i = 0; i < units && w[i]; i++)
            if (w[i] != '\t' && (w[i] < 0x20 || w[i] >= 0x7f))
                return EFI_SUCCESS;
        narrow(w, i, text, sizeof(text));
    }
    if (dbs_options_parse_args(o, text, err))
        return EFI_INVALID_PARAMETER;
    return EFI_SUCCESS;
}
