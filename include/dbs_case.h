/* A case is data: instructions composed from the vocabulary, how TF is armed,
 * DR0-3 breakpoints, DR6/DR7 setup, and the hardware expectation.
 * Specs are what tables hold; dbs_case_build() turns one into the compiled
 * form the runner, the judge and the CSV writer read. */
#ifndef DBS_CASE_H
#define DBS_CASE_H

#include <stdint.h>
#include <stddef.h>
#include "dbs_insn.h"

#define DBS_CASE_MAX_INSNS 24
#define DBS_CASE_MAX_BYTES 128
#define DBS_CASE_MAX_EXP 32 /* = DBS_MAX_EVENTS */
#define DBS_CASE_MAX_NAME 64
#define DBS_SCRATCH_BYTES 128 /* two cache lines: a locked access can split them */

/* How the harness sets RFLAGS.TF before the case's first byte. */
enum dbs_tf {
    DBS_TF_NONE,     /* TF stays clear */
    DBS_TF_POPF,     /* POPF sets TF: first trap after the case's first instruction */
    DBS_TF_IRETQ,    /* IRETQ into the case with TF=1 */
    DBS_TF_IRETQ_RF, /* IRETQ with TF=1 and RF=1: no code #DB on the first instruction */
    DBS_TF_COUNT
};
extern const char *const dbs_tf_names[DBS_TF_COUNT];

/* Where and at what privilege a case runs (the CSV's `mode` column): 64-bit
 * code or 32-bit compatibility mode under long mode, CPL0 or CPL3 (with
 * IOPL=3, as kvm-unit-tests reruns its single-step tests in user mode). */
enum dbs_mode { DBS_MODE_K64, DBS_MODE_U64, DBS_MODE_K32, DBS_MODE_U32, DBS_MODE_COUNT };
extern const char *const dbs_mode_names[DBS_MODE_COUNT];
#define DBS_MODE_BIT(m) (1u << (m))
static inline int dbs_mode_user(unsigned mode) { return mode == DBS_MODE_U64 || mode == DBS_MODE_U32; }
static inline int dbs_mode_32(unsigned mode) { return mode == DBS_MODE_K32 || mode == DBS_MODE_U32; }

/* CR4.DE while the case runs: as the firmware left it, or forced (the runner
 * restores it afterwards). With DE=0, DR4/DR5 alias DR6/DR7; with DE=1 they
 * raise #UD (SDM vol. 3B 18.2.2). */
enum dbs_cr4_de { DBS_DE_ASIS, DBS_DE_CLEAR, DBS_DE_SET };

enum dbs_bp_enable { DBS_EN_OFF = 0, DBS_EN_L = 1, DBS_EN_G = 2, DBS_EN_LG = 3 };

/* The RFLAGS image dbsweep's SYSCALL entry hands SYSRET in R11: as SYSCALL
 * saved it (TF as it was at the SYSCALL), or with TF set or cleared, so that
 * SYSRET's own single step is a subject (SYSRET loads RFLAGS from R11, SDM
 * vol. 2B SYSRET; AMD APM vol. 3 SYSRET). */
enum dbs_sysret_tf { DBS_SYSRET_SAVED, DBS_SYSRET_TF_SET, DBS_SYSRET_TF_CLEAR };

/* One DRn. Code targets: instruction index `at` plus `delta` bytes (a prefix
 * or the middle of an instruction). Data targets: byte `at` of the scratch
 * area; I/O: port `at`; APIC: byte `at` of the APIC's MMIO page. */
struct dbs_bp_spec {
    uint8_t dr, space;
    uint16_t at; /* code: instruction index; else the offset in its space */
    uint8_t rw, len, en;
    int8_t delta;
};

/* One expected event: vector and the instruction boundary its RIP points at
 * (index into the case's instructions; ninsn = just past the last one), or
 * with entry=1 the first instruction of the harness's handler for vector `at`. */
struct dbs_exp_spec {
    uint16_t vector; /* DBS_VEC_SYSCALL included */
    uint16_t at;     /* an instruction index, or with entry=1 an entry number */
    uint8_t entry;
    uint32_t dr6;     /* vector 1 only */
    uint32_t dr6_any; /* DR6 bits the source leaves open */
};

/* What a hardware-validated source recorded on one vendor's CPUs. */
struct dbs_hw_spec {
    int8_t nexp;
    struct dbs_exp_spec exp[DBS_CASE_MAX_EXP];
};

/* What a case needs from the machine; a case whose needs are not met is
 * recorded as skipped. */
enum dbs_needs {
    DBS_NEEDS_TIMER = 1,   /* a timer interrupt must wake HLT */
    DBS_NEEDS_RDTSCP = 2,  /* CPUID.80000001H:EDX[27] */
    DBS_NEEDS_OSXSAVE = 4, /* CPUID.1:ECX[27] (XGETBV) */
    DBS_NEEDS_ENV = 8,     /* CPL3 / compatibility mode: dbsweep's GDT, TSS and page tables */
    DBS_NEEDS_XAPIC = 16,  /* IA32_APIC_BASE: xAPIC mode, enabled, at DBS_APIC_BASE_DEFAULT */
    /* a watchpoint hit by an event's delivery itself: not under QEMU's TCG,
     * which aborts there (QEMU 7.2: "qemu_mutex_lock_iothread_impl:
     * assertion failed"), taking the whole run down */
    DBS_NEEDS_DELIVERY_WATCH = 32,
    /* an application processor: a case that never ends can be stopped only
     * there (MP services reset an AP past its timeout, PI spec 1.6 vol. 2
     * 13.4 StartupThisAP); on the BSP nothing could */
    DBS_NEEDS_AP = 64,
};

struct dbs_case_spec {
    const char *name;
    uint8_t mode;        /* enum dbs_mode */
    uint8_t tf;
    uint8_t ninsn, insn[DBS_CASE_MAX_INSNS]; /* enum dbs_insn_id */
    uint8_t pfx_at, npfx, pfx[DBS_INSN_MAX + 1]; /* prefixes put before insn[pfx_at] */
    uint8_t nbp;
    struct dbs_bp_spec bp[4];
    uint32_t dr6_init;   /* DR6 written before the case */
    uint32_t dr7_extra;  /* DR7 bits beyond the breakpoints (GD) */
    uint8_t dr6_reset;   /* handler rewrites dr6_init after each #DB */
    uint8_t needs;       /* enum dbs_needs */
    uint64_t regs[3];    /* rbx, rcx, rdx on entry */
    uint8_t cr4_de;      /* enum dbs_cr4_de */
    uint8_t fmask_tf;    /* SYSCALL clears TF (IA32_FMASK.TF=1), as OSes set it */
    uint8_t sysret_tf;   /* enum dbs_sysret_tf: TF in the R11 image SYSRET loads */
    /* What hardware did, as its source recorded it (KUT, BS3Kit, Linux
     * selftests), indexed by enum dbs_vendor; hw_known has bit v set where
     * the source covers vendor v. The model's unit tests compare with it. */
    uint8_t hw_known;
    struct dbs_hw_spec hw[2];
};

struct dbs_bp {
    uint8_t dr, space, rw, len, en;
    uint16_t off; /* code: byte offset in the case; data: offset in scratch; io: port; apic: offset */
};

/* rip_off of an event at the entry of the harness's handler for vector v
 * (or its SYSCALL entry, DBS_ENTRY_LSTAR/CSTAR in dbs_event.h). */
#define DBS_OFF_ENTRY 0x8000u
#define DBS_RF_ANY 2 /* exp.rf: the sources leave the saved RF open */

struct dbs_exp {
    uint16_t vector;  /* DBS_VEC_SYSCALL included */
    uint8_t rf;       /* RFLAGS.RF in the saved frame: 0, 1 or DBS_RF_ANY */
    uint16_t rip_off; /* offset in the case, or DBS_OFF_ENTRY | vector */
    uint32_t dr6;
    uint32_t dr6_any; /* DR6 bits the manuals leave open for this event */
};

/* A list of expected events (nexp = -1: none known). */
struct dbs_exp_list {
    int8_t nexp;
    struct dbs_exp exp[DBS_CASE_MAX_EXP];
};

#define DBS_GROUP_MAX_NAME 16

struct dbs_case {
    char name[DBS_CASE_MAX_NAME];
    char group[DBS_GROUP_MAX_NAME]; /* the name up to its first '.' */
    uint8_t tf;
    uint16_t nbytes;
    uint8_t bytes[DBS_CASE_MAX_BYTES];
    uint8_t ninsn;
    uint16_t off[DBS_CASE_MAX_INSNS + 1]; /* off[ninsn] == nbytes */
    uint8_t kind[DBS_CASE_MAX_INSNS];     /* enum dbs_kind, after prefixes */
    uint8_t id[DBS_CASE_MAX_INSNS];       /* enum dbs_insn_id */
    struct dbs_mem mem[DBS_CASE_MAX_INSNS][2]; /* their accesses, base registers resolved */
    uint8_t nbp;
    struct dbs_bp bp[4];
    uint32_t dr6_init, dr7_extra;
    uint8_t dr6_reset, needs;
    uint64_t regs[3];
    uint8_t mode, cr4_de, fmask_tf, sysret_tf; /* as in dbs_case_spec */
    uint8_t hw_known;          /* as in dbs_case_spec */
    struct dbs_exp_list hw[2]; /* hardware's record per vendor; rf is DBS_RF_ANY (not recorded) */
};

/* Compile a spec. Returns 0, or -1 if it does not fit (caught by unit tests). */
int dbs_case_build(const struct dbs_case_spec *s, struct dbs_case *out);
/* 1 when every instruction and prefix of the spec exists in its mode's code
 * width (a REX prefix is DEC in 32-bit code; POP SS, INTO are 32-bit only). */
int dbs_spec_fits_mode(const struct dbs_case_spec *s);

/* The case's group with its mode for modes other than k64 ("u64.ss"): a
 * group's cases run once per mode, and reports that list groups in run
 * order (KTAP) keep the runs apart. A group whose names carry no mode
 * (random) is one run: its label is the group. cap >= DBS_GROUP_MAX_NAME. */
void dbs_case_run_label(const struct dbs_case *c, char *out, unsigned cap);

/* DR7 value that arms the case's breakpoints plus dr7_extra. */
uint64_t dbs_case_dr7(const struct dbs_case *c);

/* The whole case table, in run order. */
unsigned dbs_case_count(void);
int dbs_case_get(unsigned i, struct dbs_case *out);

/* A source of cases: a table or a generator, each in its own
 * src/cases_<source>.c. get() may point s->name at name (DBS_CASE_MAX_NAME
 * bytes). Sources are listed once, in casegen.c. A case's group (the CSV's
 * group column) is the first component of its name. */
struct dbs_case_group {
    const char *name;
    unsigned (*count)(void);
    int (*get)(unsigned i, struct dbs_case_spec *s, char *name);
};
extern const struct dbs_case_group dbs_group_kut, dbs_group_sweep, dbs_group_selftest,
    dbs_group_bs3, dbs_group_data, dbs_group_random;

/* Seeded random cases (src/cases/cases_random.c): the group holds the
 * cases the random:SEED:N items of a cases= list draw, once configured with
 * that list (none before); case random.SEED.I is a function of SEED and I. */
void dbs_random_configure(const char *cases_list);
/* Case (seed, i)'s spec and name (DBS_CASE_MAX_NAME bytes), and how many
 * draws it took (attempts may be NULL); -1 if none was safe. */
int dbs_random_spec(uint64_t seed, unsigned i, struct dbs_case_spec *s, char *name,
                    unsigned *attempts);
/* Case (seed, i) compiled: for tools that meet it by name in a CSV. */
int dbs_random_case(uint64_t seed, unsigned i, struct dbs_case *out);

/* A group whose specs are a static table. */
#define DBS_TABLE_GROUP(var, gname, table)                                                   \
    static unsigned var##_count(void) { return sizeof(table) / sizeof(table[0]); }           \
    static int var##_get(unsigned i, struct dbs_case_spec *s, char *name)                    \
    {                                                                                        \
        (void)name;                                                                          \
        *s = table[i];                                                                       \
        return 0;                                                                            \
    }                                                                                        \
    const struct dbs_case_group var = {gname, var##_count, var##_get}

#endif
