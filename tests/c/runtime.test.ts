// The guest C runtime's own test: a C program that checks each runtime function against
// what it must give and prints one line per failed check, run on every ISA; the syscall
// wrappers against what the summary says (node and core ids, the report, the time).
import { afterAll, describe, expect, it } from 'vitest';
import { ISA_NAMES } from '../../isa/index.js';
import { TempDir, runImage } from '../support/index.js';

const tmp = new TempDir('clustervm-c-runtime');
afterAll(() => tmp.cleanup());

const CHECKS = `#include <clustervm.h>
static int failures;
static void check(int ok, const char *what) {
    if (!ok) {
        printf("FAIL %s\\n", what);
        failures++;
    }
}
int main(int node, int core) {
    char buffer[32];
    memcpy(buffer, "abcdefghij", 11);
    memmove(buffer + 2, buffer, 8);
    check(memcmp(buffer, "ababcdefgh", 10) == 0, "memmove forward overlap");
    memmove(buffer, buffer + 2, 8);
    check(memcmp(buffer, "abcdefghgh", 10) == 0, "memmove backward overlap");
    memset(buffer, 'z', 5);
    check(memcmp(buffer, "zzzzzfghgh", 10) == 0, "memset");
    check(strlen("") == 0 && strlen("four") == 4, "strlen");
    check(strcmp("abc", "abd") < 0 && strcmp("b", "a") > 0 && strcmp("same", "same") == 0, "strcmp");
    check(memcmp("\\xff", "\\x01", 1) > 0, "memcmp compares unsigned bytes");
    volatile int64_t n = -7, d = 2;
    check(n / d == -3 && n % d == -1, "signed 64-bit division truncates toward zero");
    volatile uint64_t big = 0xfedcba9876543210ull, by = 0x12345671ull;
    check(big / by == 0xe000005d9ull && big % by == 0x246b747ull, "unsigned 64-bit division");
    volatile int64_t most = 0x7fffffffffffffffll;
    check(most / 1 == most && most % 10 == 7, "64-bit division at the edge");
    uint32_t word = cvm_to_be32(0x11223344u);
    const unsigned char *bytes = (const unsigned char *)&word;
    check(bytes[0] == 0x11 && bytes[3] == 0x44 && cvm_from_be32(word) == 0x11223344u, "big-endian words");
    uint64_t wide = cvm_to_be64(0x0102030405060708ull);
    check(((const unsigned char *)&wide)[0] == 1 && cvm_from_be64(wide) == 0x0102030405060708ull, "big-endian double words");
    check(snprintf(buffer, sizeof buffer, "%lld|%llx", -9223372036854775807ll - 1, 0xffffffffffffffffull) == 37
          && strcmp(buffer, "-9223372036854775808|ffffffffff") == 0, "snprintf of the 64-bit extremes, cut to its buffer");
    check(cvm_node_id() == node && cvm_core_id() == core, "node and core ids");
    uint64_t before = cvm_time_ns();
    cvm_sleep_ns(5000);
    check(cvm_time_ns() - before >= 5000, "time passes by at least a sleep");
    cvm_report(-((int64_t)node << 40) - core);
    printf("checks done, %d failed\\n", failures);
    return failures;
}
`;

describe('the guest C runtime', () => {
  it.each(ISA_NAMES)('%s: every check passes on two nodes of two cores', async (isa) => {
    tmp.file(`checks-${isa}.c`, CHECKS);
    const run = await runImage(tmp.image(`checks-${isa}.json`, {
      name: 'runtime-checks', nodes: [{ isa, cores: 2, count: 2, programs: [{ source: `checks-${isa}.c` }] }],
    }));
    expect(run.console.filter((line) => line.includes('FAIL'))).toEqual([]);
    expect(run.console.filter((line) => line.endsWith('checks done, 0 failed'))).toHaveLength(4);
    for (const core of run.cores) {
      expect([core.status, core.exitStatus]).toEqual(['exited', 0]);
      expect(core.result).toBe(String(-(BigInt(core.node) << 40n) - BigInt(core.core)));
    }
  });
});
