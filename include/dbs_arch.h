/* Architectural constants for #DB: DR6/DR7 bits, RFLAGS bits, vectors.
 * Freestanding: included by the ring-0 runner, the EFI glue and host tools. */
#ifndef DBS_ARCH_H
#define DBS_ARCH_H


/* Exception vectors (Intel SDM vol. 3A 6.3.1, table 6-1). */
#define DBS_VEC_DE 0
#define DBS_VEC_DB 1
#define DBS_VEC_BP 3
#define DBS_VEC_OF 4
#define DBS_VEC_UD 6
#define DBS_VEC_GP 13
#define DBS_VEC_PF 14
#define DBS_VEC_AC 17
#define DBS_VEC_SYSCALL 256 /* pseudo-vector: a SYSCALL reached dbsweep's entry */

#ifndef __ASSEMBLER__
#include <stdint.h>

/* RFLAGS (Intel SDM vol. 1 3.4.3; vol. 3B 18.3.1.4 for TF, 18.3.1.1 for RF). */
#define DBS_RFLAGS_TF (1ull << 8)
#define DBS_RFLAGS_IF (1ull << 9)
#define DBS_RFLAGS_RF (1ull << 16)

/* DR6 (Intel SDM vol. 3B 18.2.3; AMD APM vol. 2 13.1.1.3). */
#define DBS_DR6_B(n) (1ull << (n))      /* DRn condition met; rewritten on every #DB */
#define DBS_DR6_BLD (1ull << 11)        /* bus-lock detect, active low */
#define DBS_DR6_BD (1ull << 13)         /* general detect (DR7.GD) */
#define DBS_DR6_BS (1ull << 14)         /* single step */
#define DBS_DR6_BT (1ull << 15)         /* task switch */
#define DBS_DR6_RTM (1ull << 16)        /* RTM, active low */
#define DBS_DR6_INIT 0xffff0ff0ull      /* value after reset (SDM 18.2.3) */

/* DR7 (Intel SDM vol. 3B 18.2.4; AMD APM vol. 2 13.1.1.4). */
#define DBS_DR7_L(n) (1ull << (2 * (n)))
#define DBS_DR7_G(n) (1ull << (2 * (n) + 1))
#define DBS_DR7_LE (1ull << 8) /* exact breakpoints (ignored by P6 and later, SDM 18.2.4) */
#define DBS_DR7_GE (1ull << 9)
#define DBS_DR7_GD (1ull << 13)
#define DBS_DR7_FIXED1 (1ull << 10)
#define DBS_DR7_RW_SHIFT(n) (16 + 4 * (n))
#define DBS_DR7_LEN_SHIFT(n) (18 + 4 * (n))

/* Where the local APIC's MMIO page is after reset (SDM vol. 3A 11.4.1). */
#define DBS_APIC_BASE_DEFAULT 0xfee00000ull

/* DR7 R/Wn field values (SDM 18.2.4). */
#define DBS_RW_EXEC 0
#define DBS_RW_WRITE 1
#define DBS_RW_IO 2
#define DBS_RW_RW 3

/* An instruction breakpoint is a fault: the #DB is delivered before the
 * instruction runs, RIP points at it (SDM 18.3.1.1). */
static inline int dbs_dr7_is_exec(uint64_t dr7, unsigned n)
{
    return ((dr7 >> DBS_DR7_RW_SHIFT(n)) & 3) == DBS_RW_EXEC;
}

/* Bytes a DR7 LENn encoding covers: 00=1, 01=2, 10=8, 11=4 (SDM 18.2.4;
 * 10 is 8 bytes in 64-bit capable CPUs, AMD APM vol. 2 13.1.1.4). */
static inline unsigned dbs_dr7_len_bytes(unsigned len)
{
    static const unsigned char bytes[4] = {1, 2, 8, 4};
    return bytes[len & 3];
}

/* The LENn encoding of an n-byte range (1, 2, 4 or 8): the inverse. */
static inline uint8_t dbs_dr7_len_field(unsigned n)
{
    return n == 1 ? 0 : n == 2 ? 1 : n == 4 ? 3 : 2;
}

static inline int dbs_dr7_enabled(uint64_t dr7, unsigned n)
{
    return (dr7 & (DBS_DR7_L(n) | DBS_DR7_G(n))) != 0;
}

#endif /* __ASSEMBLER__ */

#endif
