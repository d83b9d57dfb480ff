// The engine crash of issue 10 item 3 against libunicorn alone, no clustervm: a sparc64
// BPr (branch on register) with the reserved rcond 0 or 4 kills Unicorn 2.0.1 while it
// translates: SIGSEGV, or SIGABRT with "qemu/tcg/optimize.c:479: tcg fatal error",
// depending on the code around it. A defined rcond (1: brz) runs and exits 0.
//
// usage: bpr-crash <rcond 0-7>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unicorn/unicorn.h>

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s <rcond 0-7>\n", argv[0]);
        return 2;
    }
    const uint32_t rcond = (uint32_t)strtoul(argv[1], NULL, 0) & 7;
    const uint64_t base = 0x10000;
    // op=00, a=0, rcond, op2=011 (BPr), p=0, rs1=%o1, d16=2; then two nops.
    const uint32_t words[] = { (rcond << 25) | (3u << 22) | (9u << 14) | 2u, 0x01000000, 0x01000000, 0x01000000 };
    uint8_t code[sizeof words];
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {  // SPARC is big-endian
        code[4 * i] = (uint8_t)(words[i] >> 24);
        code[4 * i + 1] = (uint8_t)(words[i] >> 16);
        code[4 * i + 2] = (uint8_t)(words[i] >> 8);
        code[4 * i + 3] = (uint8_t)words[i];
    }
    uc_engine *uc;
    uc_err err = uc_open(UC_ARCH_SPARC, UC_MODE_SPARC64 | UC_MODE_BIG_ENDIAN, &uc);
    if (err == UC_ERR_OK) err = uc_mem_map(uc, base, 0x10000, UC_PROT_ALL);
    if (err == UC_ERR_OK) err = uc_mem_write(uc, base, code, sizeof code);
    if (err != UC_ERR_OK) {
        fprintf(stderr, "setup: %s\n", uc_strerror(err));
        return 2;
    }
    err = uc_emu_start(uc, base, 0, 0, 2);
    printf("rcond %u: uc_emu_start returned %s\n", rcond, uc_strerror(err));
    uc_close(uc);
    return 0;
}
