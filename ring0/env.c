/* The environment of the cases that run at CPL3 or in 32-bit compatibility
 * mode: dbsweep's own GDT, TSS, page tables and SYSCALL MSRs, loaded only
 * while such a case runs (interrupts off, no firmware call in between) and
 * given back to the firmware exactly, TR included.
 *
 * The TSS: x86 cannot load a null TR (LTR 0 is #GP), and OVMF runs with
 * TR=0, whose hidden base is 0 since reset (SDM vol. 3A table 9-1). So
 * dbsweep never loads TR: its page tables map the page of the firmware's TR
 * base (linear 0 when TR=0) to a page holding dbsweep's TSS, which the CPU
 * reads for RSP0 when an event comes from CPL3 (SDM vol. 3A 7.7, 6.14.5).
 * With a firmware TSS (TR != 0) that page starts as a copy of the firmware's. */
#include "dbs_arch.h"
#include "dbs_cpu_state.h"
#include "dbs_msr.h"
#include "dbs_runner.h"

#define PAGE 4096ull
#define LOW4G (4ull << 30)
#define PTE_P 1ull
#define PTE_RW 2ull
#define PTE_US 4ull
#define PTE_PS (1ull << 7) /* 2 MiB page in a PD entry */
#define USER_PAGE (PTE_P | PTE_RW | PTE_US)

#define CR4_PGE (1ull << 7)
#define CR4_SMEP (1ull << 20)
#define CR4_SMAP (1ull << 21)
#define CR4_PKE (1ull << 22)

#define GDT_MAX 64
#define OUR_DESCS 7

/* Flat descriptors (SDM vol. 3A 3.4.5, 5.2.1): code with L=1 (64-bit) or
 * D=1 (32-bit), data, DPL 0 or 3. */
#define CODE64(dpl) (0x00af9a000000ffffull | (uint64_t)(dpl) << 45)
#define CODE32(dpl) (0x00cf9a000000ffffull | (uint64_t)(dpl) << 45)
#define DATA(dpl) (0x00cf92000000ffffull | (uint64_t)(dpl) << 45)
#define ACCESSED (1ull << 40) /* set: loading it reads the descriptor, writes nothing */

/* 64-bit TSS fields (SDM vol. 3A 7.7, figure 7-11) */
#define TSS_RSP0 4
#define TSS_IST1 0x24
#define TSS_IOPB 0x66

static struct {
    uint64_t gdt[GDT_MAX] __attribute__((aligned(16)));
    uint64_t pml4[512] __attribute__((aligned(4096)));
    uint64_t pdpt[512] __attribute__((aligned(4096)));
    uint64_t pd[4][512] __attribute__((aligned(4096)));
    uint64_t pt[512] __attribute__((aligned(4096))); /* the 2 MiB around the TSS page */
    uint8_t tss[4096] __attribute__((aligned(4096)));
    uint8_t kstack[16384] __attribute__((aligned(16))); /* RSP0: events from CPL3 */
    uint8_t ustack[8192] __attribute__((aligned(16)));  /* the cases' stack in other modes */
    struct __attribute__((packed)) {
        uint16_t limit;
        uint64_t base;
    } gdtr, fw_gdtr;
    struct dbs_env_sel sel;
    uint64_t syscall64, syscall32;
    uint64_t fw_cr3, fw_cr4, fw_efer, fw_star, fw_lstar, fw_cstar, fw_fmask;
    uint64_t fw_fs_base, fw_gs_base;
    uint16_t fw_ds, fw_es, fw_fs, fw_gs;
} E __attribute__((aligned(4096)));

#define MSR_FS_BASE 0xc0000100
#define MSR_GS_BASE 0xc0000101

static void put64(uint8_t *p, uint64_t v)
{
    unsigned i;

    for (i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* Base of the TSS the CPU would read: TR's descriptor, or 0 for TR=0. */
static uint64_t tss_base(uint16_t tr, const uint8_t *gdt)
{
    const uint8_t *d = gdt + (tr & ~7u);

    if (!(tr & ~7u))
        return 0;
    return (uint64_t)d[2] | (uint64_t)d[3] << 8 | (uint64_t)d[4] << 16 | (uint64_t)d[7] << 24 |
           (uint64_t)d[8] << 32 | (uint64_t)d[9] << 40 | (uint64_t)d[10] << 48 |
           (uint64_t)d[11] << 56;
}

/* Above 4 GiB the firmware's own mappings (its handlers may run while a
 * case has set IF, e.g. an xHCI driver polling its 64-bit BAR): the
 * firmware's PML4 entries past the first, and its first PDPT's entries
 * past the low 4 GiB. Copied on every entry: the firmware may change them. */
#define ADDR_MASK 0x000ffffffffff000ull
static void copy_firmware_high(uint64_t fw_cr3)
{
    const uint64_t *pml4 = (const uint64_t *)(fw_cr3 & ADDR_MASK), *pdpt;
    unsigned i;

    for (i = 1; i < 512; i++)
        E.pml4[i] = pml4[i];
    for (i = 4; i < 512; i++)
        E.pdpt[i] = 0;
    if (!(pml4[0] & PTE_P))
        return;
    pdpt = (const uint64_t *)(pml4[0] & ADDR_MASK);
    for (i = 4; i < 512; i++)
        E.pdpt[i] = pdpt[i];
}

/* Identity map of the low 4 GiB, every page reachable from CPL3, with the
 * page that holds the TSS base pointing at dbsweep's TSS. */
static void build_tables(uint64_t tss_lin)
{
    unsigned i, j;
    uint64_t big = tss_lin >> 21, page = tss_lin >> 12;

    for (i = 0; i < 512; i++)
        E.pt[i] = (((big << 21) + i * PAGE) | USER_PAGE);
    E.pt[page & 511] = (uint64_t)E.tss | USER_PAGE;
    for (i = 0; i < 4; i++) {
        for (j = 0; j < 512; j++)
            E.pd[i][j] = ((uint64_t)(i * 512 + j) << 21) | USER_PAGE | PTE_PS;
        E.pdpt[i] = (uint64_t)E.pd[i] | USER_PAGE;
    }
    E.pd[big / 512][big % 512] = (uint64_t)E.pt | USER_PAGE;
    E.pml4[0] = (uint64_t)E.pdpt | USER_PAGE;
}

const char *dbs_env_init(uint64_t syscall64, uint64_t syscall32, const void *const *low,
                         unsigned nlow)
{
    struct dbs_cpu_state s;
    unsigned i, nfw;
    uint64_t base;
    const uint8_t *fw_tss;

    dbs_cpu_state_read(&s);
    nfw = (s.gdt_limit + 1u) / 8;
    if (nfw + OUR_DESCS > GDT_MAX)
        return "the firmware's GDT is larger than dbsweep's copy";
    if ((uint64_t)&E >= LOW4G)
        return "dbsweep's image is loaded above 4 GiB";
    for (i = 0; i < nlow; i++)
        if ((uint64_t)low[i] >= LOW4G)
            return "the case buffer is above 4 GiB";
    base = tss_base(s.tr, (const uint8_t *)s.gdt_base);
    if (base + 0x68 > LOW4G || (base & (PAGE - 1)) + 0x68 > PAGE)
        return "the firmware's TSS is above 4 GiB or crosses a page";
    E.fw_gdtr.limit = s.gdt_limit;
    E.fw_gdtr.base = s.gdt_base;
    for (i = 0; i < nfw; i++)
        E.gdt[i] = ((const uint64_t *)s.gdt_base)[i];
    E.sel = (struct dbs_env_sel){.kcode64 = (uint16_t)(nfw * 8), .kdata = (uint16_t)(nfw * 8 + 8),
                                 .ucode32 = (uint16_t)(nfw * 8 + 16) | 3,
                                 .udata = (uint16_t)(nfw * 8 + 24) | 3,
                                 .ucode64 = (uint16_t)(nfw * 8 + 32) | 3,
                                 .kcode32 = (uint16_t)(nfw * 8 + 40),
                                 .uss = (uint16_t)(nfw * 8 + 48) | 3};
    /* SYSCALL loads CS = STAR[47:32], SS = +8; SYSRET CS = STAR[63:48] (+16
     * for 64-bit), SS = STAR[63:48] + 8 (SDM vol. 2B SYSCALL, SYSRET) */
    E.gdt[nfw] = CODE64(0);
    E.gdt[nfw + 1] = DATA(0);
    E.gdt[nfw + 2] = CODE32(3);
    E.gdt[nfw + 3] = DATA(3);
    E.gdt[nfw + 4] = CODE64(3);
    E.gdt[nfw + 5] = CODE32(0);
    /* what CPL3 cases load SS with (MOV SS, POP SS of scratch+8): a data
     * descriptor no IRET (runner.c's on_db returns with udata) and no
     * SYSRET loads, so that a watchpoint on it sees only those loads
     * (BS3Kit bs3-cpu-weird-1 tests #8/#9 use a spare GDT entry so) */
    E.gdt[nfw + 6] = DATA(3) | ACCESSED;
    E.gdtr.limit = (uint16_t)((nfw + OUR_DESCS) * 8 - 1);
    E.gdtr.base = (uint64_t)E.gdt;

    fw_tss = (const uint8_t *)(base & ~(PAGE - 1));
    for (i = 0; i < PAGE && s.tr; i++)
        E.tss[i] = fw_tss[i];
    put64(E.tss + (base & (PAGE - 1)) + TSS_RSP0, dbs_env_kernel_stack());
    put64(E.tss + (base & (PAGE - 1)) + TSS_IST1, (uint64_t)(E.kstack + sizeof(E.kstack) / 2));
    if (!s.tr) { /* no I/O bitmap: IOPL=3 decides (SDM vol. 1 18.5.2) */
        E.tss[TSS_IOPB] = 0x68;
        E.tss[TSS_IOPB + 1] = 0;
    }
    build_tables(base);
    E.syscall64 = syscall64;
    E.syscall32 = syscall32;
    return 0;
}

const struct dbs_env_sel *dbs_env_selectors(void)
{
    return &E.sel;
}

uint64_t dbs_env_kernel_stack(void)
{
    return (uint64_t)(E.kstack + sizeof(E.kstack));
}

uint64_t dbs_env_uss_desc(void)
{
    return (uint64_t)&E.gdt[(E.sel.uss & ~7u) / 8];
}

uint64_t dbs_env_user_stack(void)
{
    return (uint64_t)(E.ustack + sizeof(E.ustack) - 64);
}

static uint64_t rd_cr(int n)
{
    uint64_t v = 0;

    if (n == 3)
        __asm__ volatile("mov %%cr3, %0" : "=r"(v));
    else
        __asm__ volatile("mov %%cr4, %0" : "=r"(v));
    return v;
}

void dbs_env_enter(int fmask_tf)
{
    E.fw_cr3 = rd_cr(3);
    E.fw_cr4 = rd_cr(4);
    E.fw_efer = dbs_rdmsr(DBS_MSR_EFER);
    E.fw_star = dbs_rdmsr(DBS_MSR_STAR);
    E.fw_lstar = dbs_rdmsr(DBS_MSR_LSTAR);
    E.fw_cstar = dbs_rdmsr(DBS_MSR_CSTAR);
    E.fw_fmask = dbs_rdmsr(DBS_MSR_FMASK);
    E.fw_fs_base = dbs_rdmsr(MSR_FS_BASE);
    E.fw_gs_base = dbs_rdmsr(MSR_GS_BASE);
    __asm__ volatile("mov %%ds, %0; mov %%es, %1; mov %%fs, %2; mov %%gs, %3"
                     : "=r"(E.fw_ds), "=r"(E.fw_es), "=r"(E.fw_fs), "=r"(E.fw_gs));
    __asm__ volatile("sgdt %0" : "=m"(E.fw_gdtr));
    __asm__ volatile("lgdt %0" ::"m"(E.gdtr) : "memory");
    /* CPL0 code runs from user pages and reads user data: no SMEP/SMAP/PKE
     * while these tables are loaded; clearing PGE flushes global TLB
     * entries of the firmware's tables (SDM vol. 3A 4.10.4.1). */
    if (E.fw_cr4 & (CR4_PGE | CR4_SMEP | CR4_SMAP | CR4_PKE)) /* each CR4 write costs a flush */
        __asm__ volatile("mov %0, %%cr4" ::"r"(E.fw_cr4 & ~(CR4_PGE | CR4_SMEP | CR4_SMAP | CR4_PKE))
                         : "memory");
    copy_firmware_high(E.fw_cr3);
    __asm__ volatile("mov %0, %%cr3" ::"r"((uint64_t)E.pml4) : "memory");
    dbs_wrmsr(DBS_MSR_EFER, E.fw_efer | DBS_EFER_SCE);
    dbs_wrmsr(DBS_MSR_STAR, (uint64_t)(E.sel.ucode32 & ~3) << 48 | (uint64_t)E.sel.kcode64 << 32);
    dbs_wrmsr(DBS_MSR_LSTAR, E.syscall64);
    dbs_wrmsr(DBS_MSR_CSTAR, E.syscall32);
    /* IF, DF, NT always, TF as the case asks (Linux and KUT mask TF too) */
    dbs_wrmsr(DBS_MSR_FMASK, (1u << 9) | (1u << 10) | (1u << 14) | (fmask_tf ? DBS_RFLAGS_TF : 0));
}

void dbs_env_leave(void)
{
    dbs_wrmsr(DBS_MSR_FMASK, E.fw_fmask);
    dbs_wrmsr(DBS_MSR_CSTAR, E.fw_cstar);
    dbs_wrmsr(DBS_MSR_LSTAR, E.fw_lstar);
    dbs_wrmsr(DBS_MSR_STAR, E.fw_star);
    dbs_wrmsr(DBS_MSR_EFER, E.fw_efer);
    __asm__ volatile("mov %0, %%cr3" ::"r"(E.fw_cr3) : "memory");
    if (E.fw_cr4 & (CR4_PGE | CR4_SMEP | CR4_SMAP | CR4_PKE))
        __asm__ volatile("mov %0, %%cr4" ::"r"(E.fw_cr4) : "memory");
    __asm__ volatile("lgdt %0" ::"m"(E.fw_gdtr) : "memory");
    /* a return to CPL3 nulls data segment registers of DPL 0 (SDM vol. 2A
     * IRET); reloading FS/GS also reloads their base, so the bases last */
    __asm__ volatile("mov %0, %%ds; mov %1, %%es; mov %2, %%fs; mov %3, %%gs"
                     ::"r"(E.fw_ds), "r"(E.fw_es), "r"(E.fw_fs), "r"(E.fw_gs) : "memory");
    dbs_wrmsr(MSR_FS_BASE, E.fw_fs_base);
    dbs_wrmsr(MSR_GS_BASE, E.fw_gs_base);
}
