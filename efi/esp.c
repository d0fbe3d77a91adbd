/* Result files on the boot volume. */
#include <efi.h>
#include <efilib.h>
#include "esp.h"

static EFI_STATUS open_dir(EFI_FILE_HANDLE parent, CHAR16 *name, EFI_FILE_HANDLE *out)
{
    return uefi_call_wrapper(parent->Open, 5, parent, out, name,
                             EFI_FILE_MODE_READ | EFI_FILE_MODE_WRITE | EFI_FILE_MODE_CREATE,
                             EFI_FILE_DIRECTORY);
}

EFI_FILE_HANDLE esp_root(EFI_HANDLE image)
{
    EFI_LOADED_IMAGE *li;

    if (EFI_ERROR(uefi_call_wrapper(BS->HandleProtocol, 3, image, &LoadedImageProtocol,
                                    (void **)&li)))
        return NULL;
    return LibOpenRoot(li->DeviceHandle);
}

EFI_STATUS esp_open_results(EFI_HANDLE image, EFI_FILE_HANDLE *dir)
{
    EFI_FILE_HANDLE root = esp_root(image), top;
    EFI_STATUS st;

    if (!root)
        return EFI_NOT_FOUND;
    st = open_dir(root, L"dbsweep", &top);
    if (!EFI_ERROR(st)) {
        st = open_dir(top, L"results", dir);
        uefi_call_wrapper(top->Close, 1, top);
    }
    uefi_call_wrapper(root->Close, 1, root);
    return st;
}

EFI_STATUS esp_create_unique(EFI_FILE_HANDLE dir, const char *stem, const char *ext,
                             EFI_FILE_HANDLE *file, char *name, UINTN name_cap)
{
    unsigned suffix;

    for (suffix = 0; suffix < 1000; suffix++) {
        struct dbs_buf b;
        CHAR16 wname[128];
        EFI_FILE_HANDLE f;
        EFI_STATUS st;
        UINTN i;

        dbs_buf_init(&b, name, name_cap);
        dbs_put_str(&b, stem);
        if (suffix) {
            dbs_put_char(&b, '-');
            dbs_put_dec(&b, suffix);
        }
        dbs_put_str(&b, ext);
        dbs_buf_str(&b);
        if (b.overflow || b.len >= sizeof(wname) / sizeof(wname[0]))
            return EFI_BUFFER_TOO_SMALL;
        for (i = 0; i <= b.len; i++)
            wname[i] = (CHAR16)(unsigned char)name[i];
        st = uefi_call_wrapper(dir->Open, 5, dir, &f, wname, EFI_FILE_MODE_READ, 0);
        if (!EFI_ERROR(st)) { /* taken: never overwrite */
            uefi_call_wrapper(f->Close, 1, f);
            continue;
        }
        if (st != EFI_NOT_FOUND)
            return st;
        return uefi_call_wrapper(dir->Open, 5, dir, file, wname,
                                 EFI_FILE_MODE_READ | EFI_FILE_MODE_WRITE | EFI_FILE_MODE_CREATE,
                                 0);
    }
    return EFI_ACCESS_DENIED;
}

EFI_STATUS esp_write(EFI_FILE_HANDLE f, const void *data, UINTN len)
{
    UINTN n = len;
    EFI_STATUS st = uefi_call_wrapper(f->Write, 3, f, &n, (void *)data);

    if (!EFI_ERROR(st) && n != len)
        st = EFI_VOLUME_FULL;
    if (!EFI_ERROR(st))
        st = uefi_call_wrapper(f->Flush, 1, f);
    return st;
}

EFI_STATUS esp_read_file(EFI_FILE_HANDLE dir, const CHAR16 *name, void *buf, UINTN *len)
{
    EFI_FILE_HANDLE f;
    EFI_STATUS st = uefi_call_wrapper(dir->Open, 5, dir, &f, (CHAR16 *)name, EFI_FILE_MODE_READ, 0);

    if (EFI_ERROR(st))
        return st;
    st = uefi_call_wrapper(f->Read, 3, f, len, buf);
    uefi_call_wrapper(f->Close, 1, f);
    return st;
}

void esp_delete_file(EFI_FILE_HANDLE dir, const CHAR16 *name)
{
    EFI_FILE_HANDLE f;

    if (!EFI_ERROR(uefi_call_wrapper(dir->Open, 5, dir, &f, (CHAR16 *)name,
                                     EFI_FILE_MODE_READ | EFI_FILE_MODE_WRITE, 0)))
        uefi_call_wrapper(f->Delete, 1, f); /* closes f */
}

EFI_STATUS esp_create_fresh(EFI_FILE_HANDLE dir, const CHAR16 *name, EFI_FILE_HANDLE *f)
{
    esp_delete_file(dir, name);
    return uefi_call_wrapper(dir->Open, 5, dir, f, (CHAR16 *)name,
                             EFI_FILE_MODE_READ | EFI_FILE_MODE_WRITE | EFI_FILE_MODE_CREATE, 0);
}

EFI_STATUS esp_rewrite(EFI_FILE_HANDLE f, const void *data, UINTN len)
{
    EFI_STATUS st = uefi_call_wrapper(f->SetPosition, 2, f, 0);

    return EFI_ERROR(st) ? st : esp_write(f, data, len);
}
