// The registers gdb reaches beyond the general ones: SSE's xmm registers and mxcsr on
// both x86 widths, x86-64's fs_base and gs_base (a write moves where the guest's fs:
// accesses go), and SPARC's state registers, which Unicorn does not expose: unavailable.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TempDir } from '../../support/index.js';
import { requireGdb, runGdb } from './support/run-gdb.js';
import { hex, startStub, type Stub } from './support/stub.js';

const dir = new TempDir('clustervm-gdb-registers');
let stub: Stub | undefined;

beforeAll(() => requireGdb());
afterAll(() => dir.cleanup());
afterEach(async () => {
  await stub?.stop();
  stub = undefined;
});

describe('gdb registers beyond the general ones', () => {
  it('reads xmm registers both widths, and an fs_base written by gdb moves the guest\'s fs: reads', async () => {
    const x64 = 'main:\n mov rax, 0x1122334455667788\n movq xmm0, rax\nhere:\n xor ecx, ecx\n mov rbx, qword ptr fs:[rcx]\nthere:\n xor eax, eax\n ret\n';
    const x32 = 'main:\n mov eax, 0x55667788\n movd xmm7, eax\nhere:\n xor eax, eax\n ret\n';
    const image = dir.writeImage('sse', { nodes: [
      { isa: 'x86-64', cores: 1, programs: [{ source: x64 }] },
      { isa: 'x86-32', cores: 1, programs: [{ source: x32 }] },
    ] });
    stub = await startStub(image);
    const output = await runGdb(stub.server.port, [
      `break *${hex(stub.address(0, 'here'))}`, 'continue', 'p/x $xmm0.v2_int64', 'p/x $xmm15.uint128', 'p $mxcsr',
      'set var *(long *)0x220000 = 0x4242', 'set $fs_base = 0x220000', 'p/x $fs_base', 'p/x $gs_base',
      `break *${hex(stub.address(0, 'there'))}`, 'continue', 'p/x $rbx',
      'inferior 2', `break *${hex(stub.address(1, 'here'))}`, 'continue', 'p/x $xmm7.v4_int32', 'p $xmm8',
    ]);
    expect(output).toContain('$1 = {0x1122334455667788, 0x0}');
    expect(output).toContain('$2 = 0x0');
    expect(output).toMatch(/\$3 = \[ \]/);
    expect(output).toContain('$4 = 0x220000');
    expect(output).toContain('$5 = 0x0');
    expect(stub.session.core({ node: 0, core: 0 }).readRegister('fs_base')).toBe(0x220000n);
    // The guest read fs:[0], which now is 0x220000.
    expect(output).toContain('$6 = 0x4242');
    expect(output).toContain('$7 = {0x55667788, 0x0, 0x0, 0x0}');
    expect(output).toContain('$8 = void');
  });

  it('shows SPARC psr, wim and tbr as unavailable rather than as zeros', async () => {
    stub = await startStub('images/hello-sparc.json');
    const output = await runGdb(stub.server.port, ['info registers psr wim tbr y pc']);
    expect(output).toMatch(/psr +<unavailable>\nwim +<unavailable>\ntbr +<unavailable>\ny +0x0 +0\npc +0x102000 /);
  });
});
