/* The SBAT section shim requires of every image it starts (shim's SBAT.md:
 * CSV lines "component,generation,vendor,package,version,url"), so that a lab
 * can run dbsweep through shim with its key enrolled as a MOK (README, Secure
 * Boot). Generation 1: no dbsweep release has been revoked. The section holds
 * the text only, without C's closing NUL. */
#define SBAT_CSV                                                                     \
    "sbat,1,SBAT Version,sbat,1,https://github.com/rhboot/shim/blob/main/SBAT.md\n" \
    "dbsweep,1,dbsweep,dbsweep," DBS_VERSION ",README.md\n"
__attribute__((section(".sbat"), used)) static const char sbat[sizeof(SBAT_CSV) - 1] = SBAT_CSV;
