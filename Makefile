# dbsweep. The two commands a user needs: `make run` and `make test`.
# Everything else here is what those two are made of.

VERSION := 0.1.0
BUILD := build
SHELL := /bin/bash

# --- Debian packages this project needs (installed once, when missing) -----
DEB_PKGS := gcc make binutils gnu-efi ovmf qemu-system-x86 mtools dosfstools libcmocka-dev \
            python3-pandas chromium fdisk zlib1g-dev sbsigntool
DEPS_STAMP := $(BUILD)/.deps-ok
# make test also runs the lab/ templates: labgrid (pytest) and LAVA's lava-run
LAB_DEB_PKGS := python3-labgrid python3-pytest socat iproute2 lava-common
LAB_NORECOMMENDS_PKGS := lava-dispatcher
LAB_DEPS_STAMP := $(BUILD)/.lab-deps-ok

# --- sources ---------------------------------------------------------------
# src/: freestanding core, by pipeline stage (cases/, model/, output/, and
# the run's setup at the top); it also builds on the host for unit tests.
# ring0/: the code that only makes sense at CPL0 inside the EFI app (runner,
# entry stubs, APIC timer).
HOST_SRC := $(wildcard src/*.c src/*/*.c)
RING0_SRC := $(wildcard ring0/*.c)
RING0_ASM := ring0/runner_asm.S
EFI_SRC := efi/main.c efi/esp.c efi/meta.c efi/codebuf.c efi/config.c efi/console.c efi/finish.c \
           efi/serial.c efi/sbat.c efi/cores.c efi/batch.c efi/compare.c \
           efi/sweep.c

WARN := -Wall -Wextra -Werror
INC := -Iinclude

# --- the EFI application (gnu-efi) -----------------------------------------
EFI_INC := -I/usr/include/efi -I/usr/include/efi/x86_64
EFI_CFLAGS := $(WARN) $(INC) $(EFI_INC) -std=gnu11 -O2 -ffreestanding -fpic -fshort-wchar \
              -fno-stack-protector -fno-strict-aliasing -mno-red-zone -mgeneral-regs-only \
              -maccumulate-outgoing-args -include $(BUILD)/version.h
EFI_LDS := /usr/lib/elf_x86_64_efi.lds
EFI_CRT0 := /usr/lib/crt0-efi-x86_64.o
EFI_LDFLAGS := -nostdlib -znocombreloc -T $(EFI_LDS) -shared -Bsymbolic --no-undefined -L/usr/lib
EFI_OBJS := $(patsubst %.c,$(BUILD)/efi-obj/%.o,$(HOST_SRC) $(RING0_SRC) $(EFI_SRC)) \
            $(patsubst %.S,$(BUILD)/efi-obj/%.o,$(RING0_ASM))

# --- host builds (unit tests, tools) ---------------------------------------
HOST_CFLAGS := $(WARN) $(INC) -std=gnu11 -O1 -g
HOST_OBJS := $(patsubst %.c,$(BUILD)/host-obj/%.o,$(HOST_SRC))
# the report tools' tests link the report library: their own rule below
REPORT_TESTS := $(BUILD)/test_report $(BUILD)/test_kut
UNIT_TESTS := $(filter-out $(REPORT_TESTS),$(patsubst tests/unit/%.c,$(BUILD)/%,$(wildcard tests/unit/test_*.c)))

.PHONY: all deps image usb run kvm-test test unit e2e lab bench bench-report fuzz clean install
all: $(BUILD)/dbsweep.efi $(BUILD)/dbsweep-list $(BUILD)/dbsweep-report \
     $(BUILD)/dbsweep-serial-extract

deps: $(DEPS_STAMP)
$(DEPS_STAMP): tools/deps.sh Makefile
	@tools/deps.sh $(DEB_PKGS)
	@mkdir -p $(BUILD) && touch $@
$(LAB_DEPS_STAMP): tools/deps.sh | $(DEPS_STAMP)
	@tools/deps.sh $(LAB_DEB_PKGS)
	@tools/deps.sh --no-recommends $(LAB_NORECOMMENDS_PKGS)
	@touch $@

# Rewritten only when the version or git hash changes, so builds stay incremental.
$(BUILD)/version.h: FORCE | $(DEPS_STAMP)
	@mkdir -p $(BUILD)
	@git_hash=$$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown); \
	 git diff --quiet HEAD 2>/dev/null || git_hash="$$git_hash-dirty"; \
	 printf '#define DBS_VERSION "%s"\n#define DBS_GIT "%s"\n' "$(VERSION)" "$$git_hash" > $@.tmp; \
	 cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@
FORCE:

$(BUILD)/efi-obj/%.o: %.c $(BUILD)/version.h | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(EFI_CFLAGS) -MMD -c $< -o $@
$(BUILD)/efi-obj/%.o: %.S | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(INC) -D__ASSEMBLER__ -c $< -o $@

$(BUILD)/dbsweep.so: $(EFI_OBJS)
	$(LD) $(EFI_LDFLAGS) $(EFI_CRT0) $(EFI_OBJS) -o $@ -lefi -lgnuefi

# (x2apic-on.efi: a test-only program, tests/x2apic)
$(BUILD)/x2apic-on.so: $(BUILD)/efi-obj/tests/x2apic/x2apic_on.o
	$(LD) $(EFI_LDFLAGS) $(EFI_CRT0) $< -o $@ -lefi -lgnuefi

$(BUILD)/%.efi: $(BUILD)/%.so
	objcopy -j .text -j .sdata -j .data -j .dynamic -j .dynsym -j .rel -j .rela -j .rel.* \
	        -j .rela.* -j .reloc -j .sbat --target efi-app-x86_64 --subsystem=10 $< $@

# SIGN_KEY=KEY.pem SIGN_CERT=CERT.pem: the images hold dbsweep.efi signed
# for Secure Boot with that key, checked against that certificate (README,
# Secure Boot); unsigned without them. The images are rebuilt when the
# choice changes: $(BUILD)/signing names it.
IMAGE_EFI := $(if $(SIGN_KEY)$(SIGN_CERT),$(BUILD)/dbsweep-signed.efi,$(BUILD)/dbsweep.efi)
$(BUILD)/signing: FORCE
	@mkdir -p $(BUILD)
	@printf '%s\n' "$(SIGN_KEY)" "$(SIGN_CERT)" > $@.tmp; cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@
$(BUILD)/dbsweep-signed.efi: $(BUILD)/dbsweep.efi $(BUILD)/signing tools/sign-efi.sh \
                             $(wildcard $(SIGN_KEY) $(SIGN_CERT)) | $(DEPS_STAMP)
	tools/sign-efi.sh "$(SIGN_KEY)" "$(SIGN_CERT)" $< $@

image: $(BUILD)/dbsweep.img
$(BUILD)/dbsweep.img: $(IMAGE_EFI) $(BUILD)/signing startup.nsh tools/mkimage.sh
	tools/mkimage.sh $@ $(IMAGE_EFI) startup.nsh

# The same as a whole disk for a USB stick: GPT with one EFI System Partition.
usb: $(BUILD)/dbsweep-usb.img
$(BUILD)/dbsweep-usb.img: $(IMAGE_EFI) $(BUILD)/signing startup.nsh tools/mkimage.sh
	tools/mkimage.sh --gpt $@ $(IMAGE_EFI) startup.nsh

# Boot the image in OVMF (KVM when usable, TCG otherwise) and collect the CSV;
# the host tools are built too, to read it. ACCEL=auto|kvm|tcg, CPU=<QEMU model>,
# QEMU=<a qemu-system-x86_64 to run instead of the system's, e.g. a QEMU tree's>.
run: $(BUILD)/dbsweep.img all
	tools/qemu-run.sh --image $< --out results --log $(BUILD)/run.log \
	    $(if $(ACCEL),--accel $(ACCEL)) $(if $(CPU),--cpu $(CPU)) $(if $(QEMU),--qemu $(QEMU))

# Real KVM: the kut, ss, shadow and data.hv cases under Debian's kvm_amd
# nested in QEMU TCG's SVM, once per L1 kernel, diffed against TCG itself
# (README, KVM in CI; not part of make test: it downloads the kernels and
# takes minutes per kernel). KVM_TEST_KERNELS: Debian linux-image packages.
KVM_TEST_KERNELS ?= linux-image-amd64 linux-image-6.12-amd64
kvm-test: $(BUILD)/dbsweep.img $(BUILD)/dbsweep-report
	tools/kvm-test.sh $(BUILD)/dbsweep-report results $(KVM_TEST_KERNELS)

# Debian bookworm-backports' QEMU, unpacked beside the system's (7.2): make
# test sweeps under both. Needs the system's qemu-system-x86 for its libraries.
QEMU_BACKPORTS := 10.0
QEMU_BACKPORTS_BIN := $(BUILD)/qemu-$(QEMU_BACKPORTS)/usr/bin/qemu-system-x86_64
$(QEMU_BACKPORTS_BIN): | $(DEPS_STAMP)
	@tools/qemu-backports.sh $(QEMU_BACKPORTS) $(BUILD)/qemu-$(QEMU_BACKPORTS)

# Full sweep vs. a zero-case boot, measured in one run, then dbsweep-report
# over 500 CSVs (BENCH_CSVS=N for another count): benchmarks, not tests.
# SAVE=results keeps the sweep's output as results/bench-<accel>-<time>.txt,
# where tools/figures.sh finds the README's timings.
BENCH_CSVS ?= 500
bench: $(BUILD)/dbsweep.img bench-report
	tools/bench.sh $(if $(SAVE),--save $(SAVE)) $< $(or $(ACCEL),tcg)
bench-report: $(BUILD)/dbsweep-report
	tools/bench_report.sh $< $(BUILD) $(BENCH_CSVS)

# Fuzz dbsweep-report's readers: CSV, gzip, known-failure lists (libFuzzer +
# ASan/UBSan; not part of make test).
FUZZ_DEB_PKGS := clang-14 libclang-rt-14-dev
FUZZ_RUNS ?= 1000000
fuzz: $(BUILD)/.fuzz-deps-ok
	FUZZ_HOST_SRC="$(HOST_SRC)" tools/fuzz.sh $(FUZZ_RUNS)
$(BUILD)/.fuzz-deps-ok: tools/deps.sh
	@tools/deps.sh $(FUZZ_DEB_PKGS)
	@mkdir -p $(BUILD) && touch $@

$(BUILD)/host-obj/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -MMD -c $< -o $@

$(BUILD)/test_%: tests/unit/test_%.c $(HOST_OBJS) | $(DEPS_STAMP)
	$(CC) $(HOST_CFLAGS) $< $(HOST_OBJS) -lcmocka -o $@

# Host tools share src/ with the app: the list is exactly what runs.
$(BUILD)/dbsweep-list: tools/dbsweep_list.c $(HOST_OBJS) $(BUILD)/version.h
	$(CC) $(HOST_CFLAGS) -I$(BUILD) $< $(HOST_OBJS) -o $@

SERIAL_EXTRACT_SRC := tools/serial_extract.c tools/serial_frames.c tools/lava_log.c
$(BUILD)/dbsweep-serial-extract: $(SERIAL_EXTRACT_SRC) tools/serial_frames.h tools/lava_log.h \
                                 $(BUILD)/version.h $(HOST_OBJS)
	$(CC) $(HOST_CFLAGS) -I$(BUILD) $(SERIAL_EXTRACT_SRC) $(HOST_OBJS) -lz -o $@

REPORT_SRC := $(wildcard tools/report/*.c)
REPORT_OBJS := $(patsubst %.c,$(BUILD)/host-obj/%.o,$(REPORT_SRC))
$(BUILD)/host-obj/tools/report/%.o: HOST_CFLAGS += -Itools/report -I$(BUILD) -pthread
$(REPORT_OBJS): $(BUILD)/version.h
$(BUILD)/dbsweep-report: $(REPORT_OBJS) $(HOST_OBJS)
	$(CC) $(HOST_CFLAGS) $^ -lz -pthread -o $@

REPORT_LIB := $(filter-out %/main.o,$(REPORT_OBJS))
$(REPORT_TESTS): $(BUILD)/%: tests/unit/%.c $(REPORT_LIB) $(HOST_OBJS) | $(DEPS_STAMP)
	$(CC) $(HOST_CFLAGS) -Itools/report $< $(REPORT_LIB) $(HOST_OBJS) -lz -pthread -lcmocka -o $@

# The encoder's tests inflate with zlib and read CSVs of the tree.
$(BUILD)/test_deflate: tests/unit/test_deflate.c $(HOST_OBJS) | $(DEPS_STAMP)
	$(CC) $(HOST_CFLAGS) -DDBS_SRCDIR='"$(CURDIR)"' $< $(HOST_OBJS) -lcmocka -lz -o $@

$(BUILD)/test_serial_frames: tests/unit/test_serial_frames.c tools/serial_frames.c $(HOST_OBJS) \
                             | $(DEPS_STAMP)
	$(CC) $(HOST_CFLAGS) -Itools $< tools/serial_frames.c $(HOST_OBJS) -lcmocka -lz -o $@

$(BUILD)/test_lava_log: tests/unit/test_lava_log.c tools/lava_log.c | $(DEPS_STAMP)
	$(CC) $(HOST_CFLAGS) -Itools $^ -lcmocka -o $@

$(BUILD)/e2e-check: tests/e2e/e2e_check.c $(REPORT_LIB) $(HOST_OBJS)
	$(CC) $(HOST_CFLAGS) -Itools/report $< $(REPORT_LIB) $(HOST_OBJS) -lz -pthread -o $@

unit: $(UNIT_TESTS) $(REPORT_TESTS)
e2e: $(BUILD)/dbsweep.img $(BUILD)/dbsweep-usb.img $(BUILD)/e2e-check $(BUILD)/dbsweep-report \
     $(BUILD)/dbsweep-list \
     $(BUILD)/dbsweep-serial-extract $(QEMU_BACKPORTS_BIN) $(BUILD)/x2apic-on.efi

lab: $(LAB_DEPS_STAMP) $(BUILD)/dbsweep-usb.img $(BUILD)/dbsweep-serial-extract $(BUILD)/dbsweep-report

# kvm-unit-tests (GPL-2.0), for tests/kut/kut.sh: unpacked under $(BUILD)/kut
KUT_TARBALL ?= ../shared/third_party/kvm-unit-tests-1da1819e.tar.gz

test: unit e2e lab
	@tests/run.sh $(UNIT_TESTS) $(REPORT_TESTS) -- "tests/e2e/e2e.sh $(BUILD)/dbsweep.img $(BUILD)/dbsweep-usb.img $(QEMU_BACKPORTS_BIN)" \
	    "tests/kut/kut.sh $(BUILD)/dbsweep.img $(BUILD)/dbsweep-report $(KUT_TARBALL) $(QEMU_BACKPORTS_BIN)" \
	    "tests/secure-boot/secure-boot.sh $(BUILD)/dbsweep.efi" \
	    "tests/x2apic/x2apic.sh $(BUILD)/dbsweep.img $(BUILD)/x2apic-on.efi $(QEMU_BACKPORTS_BIN)" \
	    "tests/lab/lab.sh $(BUILD)/dbsweep-usb.img" \
	    "tests/report/cli.sh $(BUILD)/dbsweep-report" \
	    "tests/report/matrix_browser.sh $(BUILD)/dbsweep-report $(BUILD)" \
	    "tests/figures.sh $(BUILD)/dbsweep-report $(BUILD)/dbsweep-list $(BUILD)/test_model README.md results/README.md $(wildcard docs/*.md) tests/e2e/tcg-known/qemu-7.2-vs-10.0.md"

# The host tools and their man pages: make install PREFIX=/usr/local (the
# default); DESTDIR stages them for a package. A target per tool.
PREFIX ?= /usr/local
BINDIR = $(DESTDIR)$(PREFIX)/bin
MAN1DIR = $(DESTDIR)$(PREFIX)/share/man/man1
install: install-report install-list install-serial-extract
.PHONY: install-report install-list install-serial-extract
install-report: $(BUILD)/dbsweep-report
	install -D -m 755 $< $(BINDIR)/dbsweep-report
	install -D -m 644 docs/man/dbsweep-report.1 $(MAN1DIR)/dbsweep-report.1
install-list: $(BUILD)/dbsweep-list
	install -D -m 755 $< $(BINDIR)/dbsweep-list
	install -D -m 644 docs/man/dbsweep-list.1 $(MAN1DIR)/dbsweep-list.1
install-serial-extract: $(BUILD)/dbsweep-serial-extract
	install -D -m 755 $< $(BINDIR)/dbsweep-serial-extract
	install -D -m 644 docs/man/dbsweep-serial-extract.1 $(MAN1DIR)/dbsweep-serial-extract.1

clean:
	rm -rf $(BUILD)

# (build/kvm-in-tcg holds an unpacked Debian kernel, whose .d directories are not make's)
-include $(shell find $(BUILD) -path $(BUILD)/kvm-in-tcg -prune -o -name '*.d' -type f -print 2>/dev/null)
