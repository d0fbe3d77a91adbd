/* Shorthand for hand-written case tables (src/cases/cases_kut.c, cases_bs3.c,
 * cases_linux.c): instructions, breakpoints, and what hardware did, as the
 * table's source recorded it. */
#ifndef DBS_SPEC_H
#define DBS_SPEC_H

#include "dbs_arch.h"
#include "dbs_case.h"
#include "dbs_event.h"
#include "dbs_insn.h"
#include "dbs_model.h"

#define INIT ((uint32_t)DBS_DR6_INIT)
#define SS (INIT | (uint32_t)DBS_DR6_BS)
#define B(n) ((uint32_t)DBS_DR6_B(n))
#define BD ((uint32_t)DBS_DR6_BD)
#define BS ((uint32_t)DBS_DR6_BS)

#define INSNS(...) .ninsn = sizeof((uint8_t[]){__VA_ARGS__}), .insn = {__VA_ARGS__}
#define NEXP(...) (int8_t)(sizeof((struct dbs_exp_spec[]){__VA_ARGS__}) / sizeof(struct dbs_exp_spec))
#define HW_LIST(...) {NEXP(__VA_ARGS__), {__VA_ARGS__}}
#define EXPS(...) .hw_known = 3, .hw = {HW_LIST(__VA_ARGS__), HW_LIST(__VA_ARGS__)}
#define HW_INTEL(...) .hw_known = 1 << DBS_VENDOR_INTEL, .hw = {HW_LIST(__VA_ARGS__)}
/* per vendor: HW_BY_VENDOR((intel events...), (amd events...)) */
#define HW_UNWRAP(...) __VA_ARGS__
#define HW_BY_VENDOR(intel, amd) \
    .hw_known = 3, .hw = {[DBS_VENDOR_INTEL] = HW_LIST(HW_UNWRAP intel), [DBS_VENDOR_AMD] = HW_LIST(HW_UNWRAP amd)}
#define EXP_AT_ENTRY(v_, e_, dr6_) {.vector = (v_), .at = (e_), .entry = 1, .dr6 = (dr6_)}
#define NO_EVENT .hw_known = 3
#define EXP_DB(at_, dr6_) {.vector = DBS_VEC_DB, .at = (at_), .dr6 = (dr6_)}
#define EXP_VEC(v_, at_) {.vector = (v_), .at = (at_)}
/* a source that counts the handler's runs but reads no RIP or DR6 */
#define COUNTED(v_, at_) {.vector = (v_), .at = (at_), .dr6_any = ~0u}
#define COUNTED_AT_ENTRY(v_, h_) {.vector = (v_), .at = (h_), .entry = 1, .dr6_any = ~0u}
/* Execute breakpoint on instruction i, globally enabled, LEN=00 (SDM 18.2.4). */
#define BP_EXEC(dr_, i_) {.dr = (dr_), .space = DBS_BP_CODE, .at = (i_), .rw = DBS_RW_EXEC, .en = DBS_EN_G}
/* 4-byte write watchpoint on the scratch area (KUT: DR7 = 0x00d0040a). */
#define BP_WRITE4(dr_, o_) {.dr = (dr_), .space = DBS_BP_DATA, .at = (o_), .rw = DBS_RW_WRITE, .len = 3, .en = DBS_EN_G}
/* 4-byte read/write watchpoint (KUT: DR7 = 0x00f0040a), on the SS selector
 * that mov ss,[rdi+8] loads. */
#define BP_RW4(dr_, o_) {.dr = (dr_), .space = DBS_BP_DATA, .at = (o_), .rw = DBS_RW_RW, .len = 3, .en = DBS_EN_G}

#endif
