/* Executable case buffer. Firmware with NX policies may map new pages
 * non-executable; EFI_MEMORY_ATTRIBUTE_PROTOCOL (UEFI 2.10) undoes that. */
#include <efi.h>
#include <efilib.h>
#include "codebuf.h"

#ifndef EFI_MEMORY_RO
#define EFI_MEMORY_RO 0x0000000000020000ull
#endif

static EFI_GUID mem_attr_guid = {0xf4560cf6, 0x40ec, 0x4b4a,
                                 {0xa1, 0x92, 0xbf, 0x1d, 0x57, 0xd0, 0xb1, 0x89}};

struct mem_attr_protocol {
    EFI_STATUS(EFIAPI *get)(struct mem_attr_protocol *, EFI_PHYSICAL_ADDRESS, UINT64, UINT64 *);
    EFI_STATUS(EFIAPI *set)(struct mem_attr_protocol *, EFI_PHYSICAL_ADDRESS, UINT64, UINT64);
    EFI_STATUS(EFIAPI *clear)(struct mem_attr_protocol *, EFI_PHYSICAL_ADDRESS, UINT64, UINT64);
};

EFI_STATUS codebuf_alloc(void **buf, const char **why)
{
    EFI_PHYSICAL_ADDRESS addr = 0;
    struct mem_attr_protocol *ma = NULL;
    EFI_STATUS st;

    st = uefi_call_wrapper(BS->AllocatePages, 4, AllocateAnyPages, EfiLoaderCode,
                           EFI_SIZE_TO_PAGES(CODEBUF_SIZE), &addr);
    if (EFI_ERROR(st)) {
        *why = "cannot allocate the case buffer (EfiLoaderCode)";
        return st;
    }
    st = uefi_call_wrapper(BS->LocateProtocol, 3, &mem_attr_guid, NULL, (void **)&ma);
    if (!EFI_ERROR(st) && ma) {
        st = uefi_call_wrapper(ma->clear, 4, ma, addr, CODEBUF_SIZE, EFI_MEMORY_XP | EFI_MEMORY_RO);
        if (EFI_ERROR(st)) {
            *why = "the firmware refused to make the case buffer writable and executable";
            return st;
        }
    }
    *buf = (void *)addr;
    return EFI_SUCCESS;
}
