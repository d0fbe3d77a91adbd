/* CPU identity from CPUID and the result file name. */
#include "dbs_ident.h"
#include "dbs_case.h"

static void cpuid(uint32_t leaf, uint32_t r[4])
{
    __asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(0));
}

static void put_regs(char *dst, const uint32_t *regs, unsigned n)
{
    unsigned i, k;

    for (i = 0; i < n; i++)
        for (k = 0; k < 4; k++)
            dst[i * 4 + k] = (char)(regs[i] >> (8 * k));
    dst[n * 4] = 0;
}

void dbs_cpu_decode_sig(uint32_t eax, unsigned *family, unsigned *model, unsigned *stepping)
{
    unsigned fam = (eax >> 8) & 0xf, mod = (eax >> 4) & 0xf;

    /* Extended family counts only when family is 0xF; extended model when
     * family is 6 or 0xF (Intel SDM vol. 2A, CPUID leaf 01H). */
    if (fam == 0xf)
        fam += (eax >> 20) & 0xff;
    if (fam == 6 || fam >= 0xf)
        mod += ((eax >> 16) & 0xf) << 4;
    *family = fam;
    *model = mod;
    *stepping = eax & 0xf;
}

void dbs_cpu_identify(struct dbs_cpu_id *id)
{
    uint32_t r[4], max_ext, b[12];
    unsigned i;

    cpuid(0, r);
    {
        uint32_t v[3] = {r[1], r[3], r[2]}; /* EBX, EDX, ECX */
        put_regs(id->vendor, v, 3);
    }
    cpuid(1, r);
    dbs_cpu_decode_sig(r[0], &id->family, &id->model, &id->stepping);
    id->apic_id = r[1] >> 24;
    id->hypervisor = (r[2] >> 31) & 1;
    id->core_type = 0;
    cpuid(0, r);
    if (r[0] >= 0x1a) {
        cpuid(7, r);
        if (r[3] & (1u << 15)) { /* CPUID.07H:EDX[15] hybrid (Intel SDM vol. 2A, CPUID) */
            cpuid(0x1a, r);
            id->core_type = r[0] >> 24;
        }
    }
    id->hv_sig[0] = 0;
    if (id->hypervisor) {
        cpuid(0x40000000, r);
        put_regs(id->hv_sig, &r[1], 3);
    }
    id->brand[0] = 0;
    cpuid(0x80000000, r);
    max_ext = r[0];
    if (max_ext >= 0x80000004) {
        for (i = 0; i < 3; i++)
            cpuid(0x80000002 + i, &b[i * 4]);
        put_regs(id->brand, b, 12);
        /* trim the leading and trailing blanks vendors pad with */
        {
            char *s = id->brand, *d = id->brand, *end;
            while (*s == ' ')
                s++;
            while ((*d = *s++))
                d++;
            for (end = d; end > id->brand && end[-1] == ' ';)
                *--end = 0;
        }
    }
}

unsigned dbs_cpu_needs_met(void)
{
    uint32_t r[4];
    unsigned met = 0;
    struct dbs_cpu_id id;

    dbs_cpu_identify(&id);
    cpuid(1, r);
    if (r[2] & (1u << 27)) /* OSXSAVE: CR4.OSXSAVE is set, XGETBV works */
        met |= DBS_NEEDS_OSXSAVE;
    cpuid(0x80000000, r);
    if (r[0] >= 0x80000001) {
        cpuid(0x80000001, r);
        if (r[3] & (1u << 27))
            met |= DBS_NEEDS_RDTSCP;
    }
    if (!dbs_streq(id.hv_sig, "TCGTCGTCGTCG"))
        met |= DBS_NEEDS_DELIVERY_WATCH;
    return met;
}


static void put_sanitized(struct dbs_buf *b, const char *s)
{
    unsigned n = 0;

    for (; *s; s++) {
        char c = *s;
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            dbs_put_char(b, c);
            n++;
        }
    }
    if (!n)
        dbs_put_str(b, "unknown");
}

struct alias {
    const char *sig, *name;
};

static void put_alias(struct dbs_buf *b, const struct alias *t, const char *sig)
{
    for (; t->sig; t++)
        if (dbs_streq(t->sig, sig)) {
            dbs_put_str(b, t->name);
            return;
        }
    put_sanitized(b, sig);
}

/* CPUID leaf 0 vendor strings: the one table of them. */
static const struct alias cpu_vendors[] = {
    {"GenuineIntel", "intel"}, {"AuthenticAMD", "amd"}, {"HygonGenuine", "hygon"},
    {"CentaurHauls", "centaur"}, {"  Shanghai  ", "zhaoxin"}, {0, 0},
};

void dbs_put_vendor_short(struct dbs_buf *b, const char *vendor)
{
    put_alias(b, cpu_vendors, vendor);
}

int dbs_vendor_follows_amd(const char *vendor)
{
    const struct alias *t;

    /* Hygon's CPUs are AMD's Zen design */
    for (t = cpu_vendors; t->sig; t++)
        if (dbs_streq(t->sig, vendor))
            return dbs_streq(t->name, "amd") || dbs_streq(t->name, "hygon");
    return 0;
}

void dbs_put_hv_short(struct dbs_buf *b, const struct dbs_cpu_id *id)
{
    static const struct alias hvs[] = {
        {"KVMKVMKVM", "kvm"}, {"TCGTCGTCGTCG", "tcg"}, {"Microsoft Hv", "hyperv"},
        {"VMwareVMware", "vmware"}, {"XenVMMXenVMM", "xen"}, {"VBoxVBoxVBox", "vbox"},
        {"bhyve bhyve ", "bhyve"}, {"ACRNACRNACRN", "acrn"}, {0, 0},
    };
    if (!id->hypervisor)
        dbs_put_str(b, "metal");
    else
        put_alias(b, hvs, id->hv_sig);
}

void dbs_put_time(struct dbs_buf *b, const struct dbs_time *t)
{
    dbs_put_dec_w(b, t->year, 4, '0');
    dbs_put_dec_w(b, t->month, 2, '0');
    dbs_put_dec_w(b, t->day, 2, '0');
    dbs_put_char(b, '-');
    dbs_put_dec_w(b, t->hour, 2, '0');
    dbs_put_dec_w(b, t->minute, 2, '0');
    dbs_put_dec_w(b, t->second, 2, '0');
}

void dbs_result_stem(struct dbs_buf *b, const struct dbs_cpu_id *id, const struct dbs_time *t,
                     const char *label)
{
    dbs_put_vendor_short(b, id->vendor);
    dbs_put_char(b, '-');
    dbs_put_dec(b, id->family);
    dbs_put_char(b, '-');
    dbs_put_dec(b, id->model);
    dbs_put_char(b, '-');
    dbs_put_dec(b, id->stepping);
    dbs_put_char(b, '-');
    dbs_put_hv_short(b, id);
    dbs_put_char(b, '-');
    dbs_put_time(b, t);
    if (label && *label) {
        dbs_put_char(b, '-');
        dbs_put_str(b, label);
    }
}
