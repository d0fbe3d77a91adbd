/* Shut down, reboot, wait or return, as configured. */
#include <efi.h>
#include <efilib.h>
#include "console.h"
#include "dbs_options.h"
#include "finish.h"

#define WAIT_S 30

static int booted_as_removable(EFI_HANDLE image)
{
    static const CHAR16 want[] = L"\\EFI\\BOOT\\BOOTX64.EFI";
    EFI_LOADED_IMAGE *li;
    CHAR16 *path;
    UINTN n, w = sizeof(want) / sizeof(want[0]) - 1;
    int yes;

    if (EFI_ERROR(uefi_call_wrapper(BS->HandleProtocol, 3, image, &LoadedImageProtocol,
                                    (void **)&li)))
        return 0;
    path = DevicePathToStr(li->FilePath);
    if (!path)
        return 0;
    n = StrLen(path);
    yes = n >= w && StriCmp(path + n - w, (CHAR16 *)want) == 0;
    FreePool(path);
    return yes;
}

/* A person may be reading the screen: a key or WAIT_S seconds. */
static void wait_a_while(void)
{
    EFI_EVENT timer, events[2];
    UINTN which;

    say("dbsweep: press a key, or wait 30 s, to power off");
    if (EFI_ERROR(uefi_call_wrapper(BS->CreateEvent, 5, EVT_TIMER, 0, NULL, NULL, &timer)))
        return;
    uefi_call_wrapper(BS->SetTimer, 3, timer, TimerRelative, (UINT64)WAIT_S * 10000000);
    events[0] = timer;
    events[1] = ST->ConIn->WaitForKey;
    uefi_call_wrapper(BS->WaitForEvent, 3, 2, events, &which);
    uefi_call_wrapper(BS->CloseEvent, 1, timer);
}

void finish(EFI_HANDLE image, unsigned on_finish)
{
    if (on_finish == DBS_FINISH_AUTO)
        on_finish = booted_as_removable(image) ? DBS_FINISH_SHUTDOWN : DBS_FINISH_RETURN;
    if (on_finish == DBS_FINISH_WAIT)
        wait_a_while();
    if (on_finish == DBS_FINISH_RETURN)
        return;
    if (on_finish == DBS_FINISH_REBOOT) {
        say("dbsweep: done, rebooting");
        uefi_call_wrapper(RT->ResetSystem, 4, EfiResetCold, EFI_SUCCESS, 0, NULL);
    }
    say("dbsweep: done, powering off");
    uefi_call_wrapper(RT->ResetSystem, 4, EfiResetShutdown, EFI_SUCCESS, 0, NULL);
}
