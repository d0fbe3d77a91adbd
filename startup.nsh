@echo -off
# For machines that start the UEFI shell instead of \EFI\BOOT\BOOTX64.EFI:
# find the file system that holds \dbsweep\, run dbsweep from it, then power
# off like the removable-media boot does.
for %i in 0 1 2 3 4 5 6 7 8 9 A B C D E F
  if exist fs%i:\dbsweep\dbsweep.efi then
    fs%i:
    cd \dbsweep
    dbsweep.efi
    reset -s
  endif
endfor
echo "dbsweep: no file system holds \dbsweep\dbsweep.efi"
