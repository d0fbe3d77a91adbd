/* MSRs the runner reads and writes (Intel SDM vol. 4; AMD APM vol. 2
 * appendix A), and plain RDMSR/WRMSR for the architectural ones that every
 * x86-64 CPU has. */
#ifndef DBS_MSR_H
#define DBS_MSR_H

#include <stdint.h>

#define DBS_MSR_APIC_BASE 0x1b
#define DBS_MSR_EFER 0xc0000080
#define DBS_MSR_STAR 0xc0000081
#define DBS_MSR_LSTAR 0xc0000082
#define DBS_MSR_CSTAR 0xc0000083
#define DBS_MSR_FMASK 0xc0000084
#define DBS_EFER_SCE (1ull << 0)

static inline uint64_t dbs_rdmsr(uint32_t msr)
{
    uint32_t lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return (uint64_t)hi << 32 | lo;
}

static inline void dbs_wrmsr(uint32_t msr, uint64_t v)
{
    __asm__ volatile("wrmsr" ::"c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)) : "memory");
}

#endif
