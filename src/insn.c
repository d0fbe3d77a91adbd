/* The instruction vocabulary: one row per building block. Encodings checked
 * against objdump by tests/unit/test_cases.c. */
#include "dbs_insn.h"

const struct dbs_insn dbs_insns[DBS_I_COUNT] = {
    /* id                       text               kind             len bytes */
    [DBS_I_NOP]              = {"nop",             DBS_K_PLAIN, 1, {0x90}},
    [DBS_I_CLR_TF]           = {"and rax,~0x100",  DBS_K_PLAIN, 6, {0x48, 0x25, 0xff, 0xfe, 0xff, 0xff}},
    [DBS_I_PUSH_RAX]         = {"push rax",        DBS_K_PLAIN, 1, {0x50}},
    [DBS_I_POPF]             = {"popfq",           DBS_K_POPF,  1, {0x9d}},
    [DBS_I_MOVSS_SI]         = {"mov ss,esi",      DBS_K_MOVSS, 2, {0x8e, 0xd6}},
    [DBS_I_MOVDR6_RCX]       = {"mov dr6,rcx",     DBS_K_MOVDR, 3, {0x0f, 0x23, 0xf1}},
    [DBS_I_STI]              = {"sti",             DBS_K_STI,   1, {0xfb}},
    [DBS_I_HLT]              = {"hlt",             DBS_K_HLT,   1, {0xf4}},
    [DBS_I_ICEBP]            = {"int1",            DBS_K_ICEBP, 1, {0xf1}},
    [DBS_I_INT3]             = {"int3",            DBS_K_INT3,  1, {0xcc}},
    [DBS_I_XOR_RAX]          = {"xor rax,rax",     DBS_K_PLAIN, 3, {0x48, 0x31, 0xc0}},
    [DBS_I_CPUID]            = {"cpuid",           DBS_K_CPUID, 2, {0x0f, 0xa2}},
    [DBS_I_MOV_EDX_COM1_LSR] = {"mov edx,0x3fd",   DBS_K_PLAIN, 5, {0xba, 0xfd, 0x03, 0x00, 0x00}},
    [DBS_I_IN_AL_DX]         = {"in al,dx",        DBS_K_IO,    1, {0xec}},
    [DBS_I_MOV_RAX_42]       = {"mov rax,0x2a",    DBS_K_PLAIN, 7, {0x48, 0xc7, 0xc0, 0x2a, 0x00, 0x00, 0x00}},
    [DBS_I_STORE_RAX]        = {"mov [rdi],rax",   DBS_K_STORE, 3, {0x48, 0x89, 0x07}},
};

const char *const dbs_kind_names[DBS_K_COUNT] = {
    [DBS_K_PLAIN] = "plain", [DBS_K_POPF] = "popf",   [DBS_K_MOVSS] = "movss",
    [DBS_K_STI] = "sti",     [DBS_K_HLT] = "hlt",     [DBS_K_ICEBP] = "icebp",
    [DBS_K_INT3] = "int3",   [DBS_K_MOVDR] = "movdr", [DBS_K_IO] = "io",
    [DBS_K_CPUID] = "cpuid", [DBS_K_STORE] = "store",
};
