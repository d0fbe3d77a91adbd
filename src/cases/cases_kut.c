/* kvm-unit-tests x86/debug.c (HEAD 1da1819e): every #DB case that runs at
 * CPL0, ported as data, plus the Dec 2025 LKML patch's singlestep_with_code_db.
 * The hw records are what KUT asserts (first pass, DR6 control value
 * 0xffff0ff0); KUT runs on Intel and AMD hosts, so they hold for both vendors
 * unless HW_INTEL says otherwise. Events are instruction boundaries: EXP_DB(2,
 * SS) is a #DB whose RIP is the start of instruction 2 (or the case's end when
 * 2 == ninsn); COUNTED_AT_ENTRY names the first instruction of a handler.
 * The app judges by the model; tests/unit/test_model.c holds it to these.
 * On entry rax holds the RFLAGS image the TF arming loaded, so
 * "and rax,~TF; push rax; popfq" is KUT's way of clearing TF. */
#include "dbs_buf.h"
#include "dbs_spec.h"

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
     * code breakpoint on instruction 1 are one #DB with BS|B2 on the Intel
     * CPUs of the Dec 2025 LKML patch (singlestep_with_code_db, not in
     * upstream KUT). Nobody has published AMD's: the model says undefined. */
    {.name = "kut.singlestep_with_code_db", .tf = DBS_TF_POPF, INSNS(CLR_TF_AND_POPF), .nbp = 1,
     .bp = {BP_EXEC(2, 1)}, .dr6_init = INIT,
     HW_INTEL(EXP_DB(1, SS | B(2)), EXP_DB(2, SS), EXP_DB(3, SS))},
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
    /* "MOV SS + watchpoint + ICEBP": the watchpoint's #DB, held back by MOV
     * SS, and ICEBP's make one #DB (KUT: the handler runs once). */
    {.name = "kut.movss_watchpoint_icebp", .tf = DBS_TF_NONE,
     INSNS(DBS_I_CLC, DBS_I_MOVSS_MEM, DBS_I_ICEBP), .pfx_at = 2, .npfx = 2, .pfx = {0x2e, 0x2e},
     .nbp = 1, .bp = {BP_RW4(1, 8)}, .dr6_init = INIT, EXPS(COUNTED(DBS_VEC_DB, 3))},
    /* "+ int $1": the handler runs twice, for the held #DB and for INT 1
     * (KUT). Where: at the INT handler's first instruction (Linux selftest
     * x86/mov_ss_trap.c: the kernel is entered, then gets the #DB). */
    {.name = "kut.movss_watchpoint_int1", .tf = DBS_TF_NONE,
     INSNS(DBS_I_CLC, DBS_I_MOVSS_MEM, DBS_I_INT_1), .nbp = 1, .bp = {BP_RW4(1, 8)},
     .dr6_init = INIT, EXPS(COUNTED_AT_ENTRY(DBS_VEC_DB, DBS_VEC_DB), COUNTED(DBS_VEC_DB, 3))},
    /* "+ INT3" behind 11 CS prefixes: #DB and #BP once each (KUT). */
    {.name = "kut.movss_watchpoint_int3", .tf = DBS_TF_NONE, INSNS(DBS_I_MOVSS_MEM, DBS_I_INT3),
     .pfx_at = 1, .npfx = 11, .pfx = {0x2e, 0x2e, 0x2e, 0x2e, 0x2e, 0x2e, 0x2e, 0x2e, 0x2e, 0x2e, 0x2e},
     .nbp = 1, .bp = {BP_RW4(1, 8)}, .dr6_init = INIT,
     EXPS(COUNTED_AT_ENTRY(DBS_VEC_DB, DBS_VEC_BP), EXP_VEC(DBS_VEC_BP, 2))},
    /* "DR4==DR6 with CR4.DE == 0": DR4 is DR6 (SDM 18.2.2). KUT writes DR4,
     * then DR6, and reads DR4; here the value read goes back into DR6 after
     * a clear, and the next #DB shows whether BS survived the trip. */
    {.name = "kut.dr4_alias_de0", .tf = DBS_TF_NONE, .cr4_de = DBS_DE_CLEAR,
     INSNS(DBS_I_MOV_DR4_RDX, DBS_I_MOVDR6_RCX, DBS_I_MOV_RAX_DR4, DBS_I_MOVDR6_RDX,
           DBS_I_MOVDR6_RAX, DBS_I_NOP),
     .regs = {0, INIT | BS | B(1), 0}, .nbp = 1, .bp = {BP_EXEC(2, 5)}, .dr6_init = INIT,
     EXPS(EXP_DB(5, INIT | BS | B(2)))},
    /* "DR4 read got #UD with CR4.DE == 1" (SDM 18.2.2). */
    {.name = "kut.dr4_ud_de1", .tf = DBS_TF_NONE, .cr4_de = DBS_DE_SET, INSNS(DBS_I_MOV_RAX_DR4),
     .dr6_init = INIT, EXPS(EXP_VEC(DBS_VEC_UD, 0))},
    /* x86/emulator.c test_mov_pop_ss_code_db ("no fep"): a code breakpoint
     * on the instruction after MOV SS. "On Intel, code #DBs are inhibited
     * when MOV/POP SS blocking is active"; AMD delivers it (KUT commit
     * c4d38af0c132; BS3Kit bs3-cpu-weird-1 tests #2/#3 agree at CPL3). */
    {.name = "kut.mov_ss_code_db", .tf = DBS_TF_NONE, INSNS(DBS_I_MOVSS_SI, DBS_I_XOR_RAX),
     .nbp = 1, .bp = {BP_EXEC(0, 1)}, .dr6_init = INIT, .hw_known = 3,
     .hw = {[DBS_VENDOR_INTEL] = {0, {{0}}}, [DBS_VENDOR_AMD] = HW_LIST(EXP_DB(1, INIT | B(0)))}},
    /* "CPL0 Split Lock": a locked access across a cache line raises neither
     * #AC nor #DB while those features are off (KUT bus_lock_test). */
    {.name = "kut.split_lock_cpl0", .tf = DBS_TF_NONE,
     INSNS(DBS_I_XOR_EAX, DBS_I_LOCK_CMPXCHG_SPLIT), .dr6_init = INIT, NO_EVENT},
    /* "CPL3 Bus Lock": the same at CPL3, no #DB while DEBUGCTL.BLD is off */
    {.name = "u64.kut.bus_lock_cpl3", .mode = DBS_MODE_U64, .tf = DBS_TF_NONE,
     INSNS(DBS_I_XOR_EAX, DBS_I_LOCK_CMPXCHG_SPLIT), .dr6_init = INIT, NO_EVENT},
};

/* KUT reruns these single-step tests at CPL3 with IOPL=3 and asserts the
 * same (__run_single_step_db_test; not the DR7.GD and HLT ones: MOV DR and
 * HLT #GP at CPL>0). */
static const char *const user_reruns[] = {
    "kut.singlestep_basic", "kut.singlestep_emulated_instructions",
    "kut.singlestep_with_sti_blocking", "kut.singlestep_with_movss_blocking",
    "kut.singlestep_with_movss_blocking_and_icebp",
};
#define N_KUT (sizeof(kut) / sizeof(kut[0]))
#define N_RERUNS (sizeof(user_reruns) / sizeof(user_reruns[0]))

static unsigned kut_count(void)
{
    return N_KUT + N_RERUNS;
}

static int kut_get(unsigned i, struct dbs_case_spec *s, char *name)
{
    struct dbs_buf b;
    unsigned k;

    if (i < N_KUT) {
        *s = kut[i];
        return 0;
    }
    for (k = 0; k < N_KUT && !dbs_streq(kut[k].name, user_reruns[i - N_KUT]); k++)
        ;
    if (k == N_KUT)
        return -1;
    *s = kut[k];
    s->mode = DBS_MODE_U64;
    dbs_buf_init(&b, name, DBS_CASE_MAX_NAME);
    dbs_put_str(&b, "u64.");
    dbs_put_str(&b, kut[k].name);
    s->name = dbs_buf_str(&b);
    return 0;
}

const struct dbs_case_group dbs_group_kut = {"kut", kut_count, kut_get};
