/* kvm-unit-tests x86/debug.c, every #DB case ported as data.
 * Expectations are what KUT asserts for Intel hardware (first pass, DR6
 * control value 0xffff0ff0), as instruction boundaries: EXP_DB(2, SS) is a #DB
 * whose RIP is the start of instruction 2 (or the case's end when 2 == ninsn).
 * On entry rax holds the RFLAGS image the TF arming loaded, so
 * "and rax,~TF; push rax; popfq" is KUT's way of clearing TF. */
#include "dbs_case.h"
#include "dbs_insn.h"
#include "dbs_arch.h"

#define INIT ((uint32_t)DBS_DR6_INIT)
#define SS (INIT | (uint32_t)DBS_DR6_BS)
#define B(n) ((uint32_t)DBS_DR6_B(n))
#define BD ((uint32_t)DBS_DR6_BD)
#define BS ((uint32_t)DBS_DR6_BS)

#define INSNS(...) .ninsn = sizeof((uint8_t[]){__VA_ARGS__}), .insn = {__VA_ARGS__}
#define EXPS(...) .nexp = sizeof((struct dbs_exp_spec[]){__VA_ARGS__}) / sizeof(struct dbs_exp_spec), \
                  .exp = {__VA_ARGS__}
#define EXP_DB(at_, dr6_) {.vector = DBS_VEC_DB, .at = (at_), .dr6 = (dr6_)}
#define EXP_VEC(v_, at_) {.vector = (v_), .at = (at_)}
/* Execute breakpoint on instruction i, globally enabled, LEN=00 (SDM 18.2.4). */
#define BP_EXEC(dr_, i_) {.dr = (dr_), .space = DBS_BP_CODE, .at = (i_), .rw = DBS_RW_EXEC, .en = DBS_EN_G}
/* 4-byte write watchpoint on the scratch area (KUT: DR7 = 0x00d0040a). */
#define BP_WRITE4(dr_, o_) {.dr = (dr_), .space = DBS_BP_DATA, .at = (o_), .rw = DBS_RW_WRITE, .len = 3, .en = DBS_EN_G}

#define CLR_TF_AND_POPF DBS_I_CLR_TF, DBS_I_PUSH_RAX, DBS_I_POPF

static const struct dbs_case_spec kut[] = {
    /* DR6.Bn is rewritten on every #DB; BS is left as software set it (SDM 18.2.3). */
    {.name = "kut.hw_bp1", .tf = DBS_TF_NONE, INSNS(DBS_I_NOP), .nbp = 1, .bp = {BP_EXEC(2, 0)},
     .dr6_init = INIT, EXPS(EXP_DB(0, INIT | B(2)))},
    {.name = "kut.hw_bp2", .tf = DBS_TF_NONE, INSNS(DBS_I_NOP), .nbp = 1, .bp = {BP_EXEC(2, 0)},
     .dr6_init = INIT | BS | B(1), EXPS(EXP_DB(0, INIT | BS | B(2)))},
    /* TF set by POPF traps after the next instruction, not after POPF (SDM 18.3.1.4). */
    {.name = "kut.singlestep_basic", .tf = DBS_TF_POPF, INSNS(CLR_TF_AND_POPF), .dr6_init = INIT,
     EXPS(EXP_DB(1, SS), EXP_DB(2, SS), EXP_DB(3, SS))},
    /* The seed case: the single-step trap pending after instruction 0 and the
     * code breakpoint on instruction 1 are one #DB with BS|B2 (SDM 18.3.1.1,
     * 18.3.1.4; kvm-unit-tests singlestep_with_code_db, Dec 2025). */
    {.name = "kut.singlestep_with_code_db", .tf = DBS_TF_POPF, INSNS(CLR_TF_AND_POPF), .nbp = 1,
     .bp = {BP_EXEC(2, 1)}, .dr6_init = INIT,
     EXPS(EXP_DB(1, SS | B(2)), EXP_DB(2, SS), EXP_DB(3, SS))},
    /* CPUID and IN are emulated by hypervisors; the trap must still follow each. */
    {.name = "kut.singlestep_emulated_instructions", .tf = DBS_TF_POPF,
     INSNS(DBS_I_CLR_TF, DBS_I_PUSH_RAX, DBS_I_XOR_RAX, DBS_I_CPUID, DBS_I_MOV_EDX_COM1_LSR,
           DBS_I_IN_AL_DX, DBS_I_POPF),
     .dr6_init = INIT,
     EXPS(EXP_DB(1, SS), EXP_DB(2, SS), EXP_DB(3, SS), EXP_DB(4, SS), EXP_DB(5, SS), EXP_DB(6, SS),
          EXP_DB(7, SS))},
    /* STI blocks interrupts, not #DB (SDM vol. 3A 6.8.3). */
    {.name = "kut.singlestep_with_sti_blocking", .tf = DBS_TF_POPF,
     INSNS(DBS_I_STI, CLR_TF_AND_POPF), .dr6_init = INIT,
     EXPS(EXP_DB(1, SS), EXP_DB(2, SS), EXP_DB(3, SS), EXP_DB(4, SS))},
    /* MOV SS blocks #DB until after the next instruction (SDM vol. 3A 6.8.3). */
    {.name = "kut.singlestep_with_movss_blocking", .tf = DBS_TF_POPF,
     INSNS(DBS_I_MOVSS_SI, CLR_TF_AND_POPF), .dr6_init = INIT,
     EXPS(EXP_DB(2, SS), EXP_DB(3, SS), EXP_DB(4, SS))},
    /* ICEBP is a trap-like #DB with no DR6 condition bit; the pending
     * single step is not reported with it (SDM 18.3; KUT). */
    {.name = "kut.singlestep_with_movss_blocking_and_icebp", .tf = DBS_TF_POPF,
     INSNS(DBS_I_MOVSS_SI, DBS_I_ICEBP, DBS_I_ICEBP, CLR_TF_AND_POPF), .dr6_init = INIT,
     EXPS(EXP_DB(2, INIT), EXP_DB(3, INIT), EXP_DB(4, SS), EXP_DB(5, SS), EXP_DB(6, SS))},
    /* General detect is a fault not blocked by MOV SS; the CPU clears DR7.GD
     * on delivery, so the MOV DR6 then runs and rewrites DR6 (SDM 18.3.1.3). */
    {.name = "kut.singlestep_with_movss_blocking_and_dr7_gd", .tf = DBS_TF_POPF,
     INSNS(DBS_I_MOVSS_SI, DBS_I_MOVDR6_RCX, CLR_TF_AND_POPF), .dr6_init = INIT,
     .dr7_extra = (uint32_t)DBS_DR7_GD, .regs = {0, INIT, 0},
     EXPS(EXP_DB(1, INIT | BD), EXP_DB(2, SS), EXP_DB(3, SS), EXP_DB(4, SS), EXP_DB(5, SS))},
    /* The trap after HLT is delivered when the timer interrupt wakes it. */
    {.name = "kut.singlestep_with_sti_hlt", .tf = DBS_TF_POPF,
     INSNS(DBS_I_STI, DBS_I_HLT, CLR_TF_AND_POPF), .dr6_init = INIT, .needs = DBS_NEEDS_TIMER,
     EXPS(EXP_DB(1, SS), EXP_DB(2, SS), EXP_DB(3, SS), EXP_DB(4, SS), EXP_DB(5, SS))},
    /* Data breakpoints are traps: RIP is after the store (SDM 18.3.1.2). */
    {.name = "kut.hw_wp1", .tf = DBS_TF_NONE, INSNS(DBS_I_MOV_RAX_42, DBS_I_STORE_RAX), .nbp = 1,
     .bp = {BP_WRITE4(1, 0)}, .dr6_init = INIT | BS, EXPS(EXP_DB(2, INIT | BS | B(1)))},
    {.name = "kut.hw_wp2", .tf = DBS_TF_NONE, INSNS(DBS_I_MOV_RAX_42, DBS_I_STORE_RAX), .nbp = 1,
     .bp = {BP_WRITE4(1, 0)}, .dr6_init = INIT, EXPS(EXP_DB(2, INIT | B(1)))},
    {.name = "kut.icebp", .tf = DBS_TF_NONE, INSNS(DBS_I_ICEBP), .dr6_init = INIT,
     EXPS(EXP_DB(1, INIT))},
    /* INT3 is a trap: #BP's RIP is after it (SDM vol. 3A 6.15, interrupt 3). */
    {.name = "kut.sw_bp", .tf = DBS_TF_NONE, INSNS(DBS_I_INT3), .dr6_init = INIT,
     EXPS(EXP_VEC(DBS_VEC_BP, 1))},
};

DBS_TABLE_GROUP(dbs_group_kut, "kut", kut);
