/* Run options: `key=value` from \dbsweep\dbsweep.cfg (one per line, '#'
 * comments) and from the EFI LoadOptions (space-separated, they override the
 * file). Case selection by glob. */
#ifndef DBS_OPTIONS_H
#define DBS_OPTIONS_H

#include <stddef.h>
#include <stdint.h>
#include "dbs_buf.h"

#define DBS_OPT_MAX 512
#define DBS_LABEL_MAX 32

enum dbs_on_finish {
    DBS_FINISH_AUTO,     /* shutdown when booted as BOOTX64.EFI, else return */
    DBS_FINISH_SHUTDOWN, /* EFI ResetSystem(EfiResetShutdown) */
    DBS_FINISH_REBOOT,   /* EFI ResetSystem(EfiResetCold) */
    DBS_FINISH_RETURN,   /* back to the shell or boot manager */
    DBS_FINISH_WAIT,     /* wait 30 s or a key, then shut down */
};

/* serial=: what goes to COM1 (README.md, "The serial console"). */
enum dbs_serial {
    DBS_SERIAL_OFF,
    DBS_SERIAL_ON,    /* console lines (KTAP per case), the CSV deflated in base64 lines */
    DBS_SERIAL_PLAIN, /* the same with the CSV byte for byte */
};

/* cores=: which logical CPUs run the sweep (README.md, "Every core"). */
enum dbs_cores {
    DBS_CORES_BSP,  /* the processor dbsweep was started on, alone: the output of old */
    DBS_CORES_ALL,  /* every enabled logical CPU, one after the other */
    DBS_CORES_LIST, /* the CPUs whose APIC IDs core_ids holds */
};
#define DBS_CORES_MAX 64      /* APIC IDs in a cores= list */
#define DBS_CORES_TEXT 256    /* the cores= value as given */
#define DBS_CORE_TIMEOUT 30   /* core_timeout= default, seconds */

struct dbs_options {
    char cases[DBS_OPT_MAX]; /* comma-separated globs; "none" selects nothing */
    unsigned reps;           /* 1..DBS_MAX_REPS */
    unsigned max_events;     /* event cap per repetition, 1..DBS_MAX_EVENTS */
    unsigned on_finish;      /* enum dbs_on_finish */
    unsigned serial;         /* enum dbs_serial */
    char label[DBS_LABEL_MAX + 1]; /* in the metadata and the file name */
    unsigned cores;          /* enum dbs_cores */
    char cores_text[DBS_CORES_TEXT]; /* the cores= value as given ("bsp" by default) */
    uint32_t core_ids[DBS_CORES_MAX]; /* DBS_CORES_LIST: distinct APIC IDs, as given */
    unsigned ncore_ids;
    unsigned core_timeout;   /* seconds an AP may take for one batch of cases, 1..999 */
    unsigned seen;           /* keys the source being parsed gave: twice is an error */
};

void dbs_options_default(struct dbs_options *o);
/* Parses a config file's text (UTF-8, optional BOM). On error returns -1 and
 * writes "<source>:<line>: <what>" to err. */
int dbs_options_parse_file(struct dbs_options *o, const char *text, size_t len,
                           const char *source, struct dbs_buf *err);
/* Parses a command line; a first word without '=' (the program's own name,
 * as the UEFI shell passes it) is skipped. */
int dbs_options_parse_args(struct dbs_options *o, const char *args, struct dbs_buf *err);

/* Every option as key=value words (on_finish=auto for the default), for the
 * CSV metadata; cores= and core_timeout= only when cores is not bsp, so that
 * a run on the BSP alone writes what it always wrote. */
void dbs_options_format(struct dbs_buf *b, const struct dbs_options *o);

/* 1 when the options select the logical CPU of that APIC ID (bsp: whether
 * it is the BSP). */
int dbs_cores_selects(const struct dbs_options *o, uint32_t apic_id, int is_bsp);

/* '*' matches any run of characters, '?' any one. */
int dbs_glob(const char *pattern, const char *name);
/* 1 when name matches one of the comma-separated globs of list, or is one
 * of the cases a random:SEED:N item of it draws. */
int dbs_selected(const char *list, const char *name);

/* Seeded random cases (src/cases/cases_random.c): the cases= item
 * random:SEED:N draws cases random.SEED.0 .. random.SEED.N-1; SEED is a
 * decimal 64-bit number. At most DBS_RANDOM_ITEMS such items a list. */
#define DBS_RANDOM_MAX_N 1000000
#define DBS_RANDOM_ITEMS 8
/* 1 with *seed and *n for a well-formed item (len bytes), 0 for an item that
 * does not start with "random:", -1 for one that does but is malformed. */
int dbs_random_item(const char *item, size_t len, uint64_t *seed, unsigned *n);
/* 1 with *seed and *i when name is random.SEED.I, else 0. */
int dbs_random_name(const char *name, uint64_t *seed, unsigned *i);

#endif
