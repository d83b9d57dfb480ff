// The native ceiling for the boot benchmark: drives libunicorn directly on the same
// guest bytes, in the same quanta, the way the TypeScript scheduler does (one
// uc_emu_start per quantum, PC read back between quanta), with no JavaScript around it.
//
// usage: native-loop <isa> <code.bin> <load-address> <entry> <limit> <quantum>...
//   isa: x86-32 | x86-64 | sparc32 | sparc64; the guest must end with SYS_EXIT by trap.
//   limit: give up after this many instructions without reaching SYS_EXIT.
//   quantum 0: one uncounted uc_emu_start to SYS_EXIT, the engine's ceiling on this
//   code (Unicorn implements `count` as a per-instruction hook, which this run lacks).
// Runs the guest once per quantum, each time on a fresh engine, and prints per run:
//   quantum=<n> quanta=<n> replays=<n> seconds=<s>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unicorn/unicorn.h>

#include "../../../emulator/engine/sparc-delayed-transfer.h"

enum { SYS_EXIT = 1 };
// Code and stack share one mapping, as in a clustervm node's RAM.
static const uint64_t RAM_BYTES = 4u << 20;

struct isa {
    const char *name;
    uc_arch arch;
    int mode;
    int sparc;
    int pc_reg, sp_reg, number_reg;
    uint32_t syscall_intno;
    // Room the ABI wants below %sp (the sparc64 value includes the 2047 bias).
    uint64_t frame;
};

// Unicorn reports `ta 0x10` as 0x80 + 0x10 on sparc32 and 0x100 + 0x10 on sparc64.
static const struct isa ISAS[] = {
    {"x86-32", UC_ARCH_X86, UC_MODE_32, 0, UC_X86_REG_EIP, UC_X86_REG_ESP, UC_X86_REG_EAX, 0x80, 0},
    {"x86-64", UC_ARCH_X86, UC_MODE_64, 0, UC_X86_REG_RIP, UC_X86_REG_RSP, UC_X86_REG_RAX, 0x80, 0},
    {"sparc32", UC_ARCH_SPARC, UC_MODE_SPARC32 | UC_MODE_BIG_ENDIAN, 1,
     UC_SPARC_REG_PC, UC_SPARC_REG_SP, UC_SPARC_REG_G1, 0x90, 96},
    {"sparc64", UC_ARCH_SPARC, UC_MODE_SPARC64 | UC_MODE_BIG_ENDIAN, 1,
     UC_SPARC_REG_PC, UC_SPARC_REG_SP, UC_SPARC_REG_G1, 0x110, 2223},
};

struct guest {
    const struct isa *isa;
    int exited;
    int64_t bad_trap; // the interrupt number, or -1 (x86 vector 0 is a real trap)
};

static void fail(const char *what, uc_err err) {
    if (err != UC_ERR_OK) fprintf(stderr, "native-loop: %s: %s\n", what, uc_strerror(err));
    else fprintf(stderr, "native-loop: %s\n", what);
    exit(1);
}

static uint64_t read_reg(uc_engine *uc, int reg) {
    uint64_t value = 0; // 32-bit registers fill only the low half
    uc_err err = uc_reg_read(uc, reg, &value);
    if (err != UC_ERR_OK) fail("uc_reg_read", err);
    return value;
}

// Any trap but SYS_EXIT is a fault here: the benchmark guest makes no other call. The
// PC is left alone, because on SPARC writing it from a hook cancels the stop request.
static void on_interrupt(uc_engine *uc, uint32_t intno, void *user) {
    struct guest *guest = user;
    if (intno == guest->isa->syscall_intno && (uint32_t)read_reg(uc, guest->isa->number_reg) == SYS_EXIT)
        guest->exited = 1;
    else
        guest->bad_trap = intno;
    uc_emu_stop(uc);
}


// A quantum that ran out in a delay slot would lose the branch target on resume, since
// Unicorn sets NPC = PC + 4. Like the scheduler, run branch and slot again as a pair;
// the benchmark guest's only transfer is a conditional branch, which replays safely.
static uint64_t leave_delay_slot(uc_engine *uc, const struct isa *isa, uint64_t pc, uint64_t *replays) {
    uint8_t bytes[4];
    uc_err err = uc_mem_read(uc, pc - 4, bytes, sizeof bytes);
    if (err != UC_ERR_OK) return pc; // pc is the first word of the mapping: no branch before it
    uint32_t word = (uint32_t)bytes[0] << 24 | (uint32_t)bytes[1] << 16 | (uint32_t)bytes[2] << 8 | bytes[3];
    if (!is_delayed_transfer(word)) return pc;
    err = uc_emu_start(uc, pc - 4, 0, 0, 2);
    if (err != UC_ERR_OK) fail("uc_emu_start (delay slot replay)", err);
    ++*replays;
    return read_reg(uc, isa->pc_reg);
}

static uint8_t *read_file(const char *path, size_t *size) {
    FILE *file = fopen(path, "rb");
    if (!file) fail("cannot open the code file", UC_ERR_OK);
    fseek(file, 0, SEEK_END);
    *size = (size_t)ftell(file);
    rewind(file);
    uint8_t *bytes = malloc(*size);
    if (!bytes || fread(bytes, 1, *size, file) != *size) fail("cannot read the code file", UC_ERR_OK);
    fclose(file);
    return bytes;
}

// One run of the guest from `entry` to its SYS_EXIT, on a fresh engine.
static void run_guest(const struct isa *isa, const uint8_t *code, size_t code_size, uint64_t load,
                      uint64_t entry, uint64_t limit, uint64_t quantum) {
    uc_engine *uc;
    uc_err err = uc_open(isa->arch, isa->mode, &uc);
    if (err != UC_ERR_OK) fail("uc_open", err);
    if ((err = uc_mem_map(uc, load, RAM_BYTES, UC_PROT_ALL)) != UC_ERR_OK) fail("uc_mem_map", err);
    if ((err = uc_mem_write(uc, load, code, code_size)) != UC_ERR_OK) fail("uc_mem_write", err);
    uint64_t sp = load + RAM_BYTES - isa->frame;
    if ((err = uc_reg_write(uc, isa->sp_reg, &sp)) != UC_ERR_OK) fail("uc_reg_write(sp)", err);
    struct guest guest = {isa, 0, -1};
    uc_hook hook;
    if ((err = uc_hook_add(uc, &hook, UC_HOOK_INTR, (void *)on_interrupt, &guest, 1, 0)) != UC_ERR_OK)
        fail("uc_hook_add", err);

    uint64_t pc = entry, quanta = 0, replays = 0;
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        if (quanta * quantum > limit) fail("ran past the instruction limit without SYS_EXIT", UC_ERR_OK);
        // Uncounted, only the guest's SYS_EXIT (or a bad trap) ends the run.
        err = uc_emu_start(uc, pc, 0, 0, quantum);
        quanta++;
        if (err != UC_ERR_OK) fail("uc_emu_start", err);
        if (guest.bad_trap >= 0) {
            fprintf(stderr, "native-loop: unexpected trap 0x%llx\n", (unsigned long long)guest.bad_trap);
            exit(1);
        }
        if (guest.exited) break;
        pc = read_reg(uc, isa->pc_reg);
        if (isa->sparc) pc = leave_delay_slot(uc, isa, pc, &replays);
    }
    clock_gettime(CLOCK_MONOTONIC, &end);

    double seconds = (double)(end.tv_sec - start.tv_sec) + (double)(end.tv_nsec - start.tv_nsec) * 1e-9;
    printf("quantum=%llu quanta=%llu replays=%llu seconds=%.9f\n", (unsigned long long)quantum,
           (unsigned long long)quanta, (unsigned long long)replays, seconds);
    uc_close(uc);
}

int main(int argc, char **argv) {
    if (argc < 7) {
        fprintf(stderr, "usage: native-loop <isa> <code.bin> <load-address> <entry> <limit> <quantum>...\n");
        return 2;
    }
    const struct isa *isa = NULL;
    for (size_t i = 0; i < sizeof ISAS / sizeof ISAS[0]; i++)
        if (strcmp(argv[1], ISAS[i].name) == 0) isa = &ISAS[i];
    if (!isa) fail("unknown isa", UC_ERR_OK);
    size_t code_size;
    uint8_t *code = read_file(argv[2], &code_size);
    uint64_t load = strtoull(argv[3], NULL, 0);
    uint64_t entry = strtoull(argv[4], NULL, 0);
    uint64_t limit = strtoull(argv[5], NULL, 0);
    if (code_size > RAM_BYTES / 2) fail("code too large", UC_ERR_OK);
    for (int i = 6; i < argc; i++) {
        char *end;
        uint64_t quantum = strtoull(argv[i], &end, 0);
        if (*end != '\0') fail("bad quantum", UC_ERR_OK);
        run_guest(isa, code, code_size, load, entry, limit, quantum);
    }
    free(code);
    return 0;
}
