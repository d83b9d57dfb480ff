// The resident memory libunicorn itself takes per engine, without clustervm around it:
// opens N engines of the four ISAs in turn, maps 64 KiB in each and runs one instruction
// (a first run allocates the translation state), then prints the resident set it added,
// with transparent huge pages on (QEMU asks for them on each translation buffer) or off
// (as clustervm runs its engines).
//
// usage: engine-memory <engines> huge-pages|no-huge-pages
//   prints: engines=<n> mib_per_engine=<m>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unicorn/unicorn.h>

static long resident_kib(void) {
    FILE *status = fopen("/proc/self/status", "r");
    if (!status) return -1;
    char line[256];
    long kib = -1;
    while (fgets(line, sizeof line, status))
        if (strncmp(line, "VmRSS:", 6) == 0) kib = atol(line + 6);
    fclose(status);
    return kib;
}

int main(int argc, char **argv) {
    int huge = argc == 3 && strcmp(argv[2], "huge-pages") == 0;
    if (argc != 3 || atoi(argv[1]) <= 0 || (!huge && strcmp(argv[2], "no-huge-pages") != 0)) {
        fprintf(stderr, "usage: engine-memory <engines> huge-pages|no-huge-pages\n");
        return 2;
    }
    // The flag is inherited from the parent: set it either way.
    if (prctl(PR_SET_THP_DISABLE, huge ? 0 : 1, 0, 0, 0) != 0) {
        perror("engine-memory: prctl");
        return 1;
    }
    int engines = atoi(argv[1]);
    static const uc_arch ARCH[] = {UC_ARCH_X86, UC_ARCH_SPARC, UC_ARCH_X86, UC_ARCH_SPARC};
    static const int MODE[] = {UC_MODE_32, UC_MODE_SPARC32 | UC_MODE_BIG_ENDIAN, UC_MODE_64,
                               UC_MODE_SPARC64 | UC_MODE_BIG_ENDIAN};
    // x86 nop (0x90) and SPARC nop (0x01000000), one word each.
    static const uint8_t NOP[2][4] = {{0x90, 0x90, 0x90, 0x90}, {0x01, 0x00, 0x00, 0x00}};
    const uint64_t base = 0x100000;
    long before = resident_kib();
    for (int i = 0; i < engines; i++) {
        uc_engine *uc;
        uc_err err = uc_open(ARCH[i % 4], MODE[i % 4], &uc);
        if (err == UC_ERR_OK) err = uc_mem_map(uc, base, 0x10000, UC_PROT_ALL);
        if (err == UC_ERR_OK) err = uc_mem_write(uc, base, NOP[i % 2], 4);
        if (err == UC_ERR_OK) err = uc_emu_start(uc, base, 0, 0, 1);
        if (err != UC_ERR_OK) {
            fprintf(stderr, "engine-memory: engine %d: %s\n", i, uc_strerror(err));
            return 1;
        }
    }
    printf("engines=%d mib_per_engine=%.3f\n", engines, (double)(resident_kib() - before) / 1024.0 / engines);
    return 0;
}
