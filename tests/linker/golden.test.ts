// Golden listings of every trampoline form and mediator stub per ISA, of the mediator
// itself, and of the references the linker found in a C module (tests/golden/c-module.c,
// as gcc compiles it), so that a change to any opcode the linker puts in guest memory or
// binds shows up as a diff in review. UPDATE_GOLDEN=1 rewrites them.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileC, compileCModule, C_RUNTIME_DIR, encoderFor, type Encoder, type TrampolineForm } from '../../linker/index.js';
import { buildMediator, mediatorSourcePath } from '../../linker/index.js';
import { ISA_NAMES, type IsaName } from '../../isa/index.js';
import { renderListing, type GoldenEntry } from './support/golden-listing.js';
import { hex, loadToolchain, type Toolchain } from './support/toolchain.js';

type Case =
  | { readonly kind: 'call'; readonly site: bigint; readonly target: bigint }
  | { readonly kind: 'trampoline'; readonly form: TrampolineForm; readonly site: bigint; readonly target: bigint }
  | { readonly kind: 'stub'; readonly reach: 'near' | 'far'; readonly site: bigint; readonly index: number; readonly entry: bigint };

const CASES: Readonly<Record<IsaName, readonly Case[]>> = {
  'x86-32': [
    { kind: 'call', site: 0x110000n, target: 0x102000n },
    { kind: 'trampoline', form: 'shortest', site: 0x110000n, target: 0x120000n },
    { kind: 'trampoline', form: 'shortest', site: 0xffff_f000n, target: 0x1000n },
    { kind: 'stub', reach: 'near', site: 0x110000n, index: 7, entry: 0x102000n },
  ],
  'x86-64': [
    { kind: 'call', site: 0x110000n, target: 0x4011_0000n },
    { kind: 'trampoline', form: 'shortest', site: 0x110000n, target: 0x120000n },
    { kind: 'trampoline', form: 'shortest', site: 0x110000n, target: 0xffff_8000_0000_1000n },
    { kind: 'stub', reach: 'near', site: 0x110000n, index: 7, entry: 0x102000n },
    { kind: 'stub', reach: 'far', site: 0x110000n, index: 4095, entry: 0x7f00_0000_0000n },
  ],
  sparc32: [
    { kind: 'call', site: 0x110000n, target: 0x102000n },
    { kind: 'trampoline', form: 'shortest', site: 0x110000n, target: 0x120000n },
    { kind: 'trampoline', form: 'shortest', site: 0x110000n, target: 0x4567_89acn },
    { kind: 'trampoline', form: 'paper', site: 0x110000n, target: 0x120abcn },
    { kind: 'stub', reach: 'near', site: 0x110000n, index: 7, entry: 0x102000n },
    { kind: 'stub', reach: 'far', site: 0x110000n, index: 4095, entry: 0x4567_89a0n },
  ],
  sparc64: [
    { kind: 'call', site: 0x1_0000_0000n, target: 0x8000_2000n },
    { kind: 'trampoline', form: 'shortest', site: 0x110000n, target: 0x120000n },
    { kind: 'trampoline', form: 'shortest', site: 0x110000n, target: 0x4567_89acn },
    { kind: 'trampoline', form: 'shortest', site: 0x110000n, target: 0x123_4567_89a0n },
    { kind: 'trampoline', form: 'shortest', site: 0x110000n, target: 0xfedc_ba98_7654_3210n },
    { kind: 'trampoline', form: 'paper', site: 0x1_0000_0000n, target: 0x120abcn },
    { kind: 'stub', reach: 'near', site: 0x1_0000_0000n, index: 7, entry: 0x1_0000_1000n },
    { kind: 'stub', reach: 'far', site: 0x110000n, index: 4095, entry: 0x4567_89a0n },
  ],
};

const X86_64_FAR_JUMP = 'jmp [rip]';

function entry(encoder: Encoder, test: Case): GoldenEntry {
  if (test.kind === 'call') {
    return { header: `call target=${hex(test.target)}`, site: test.site, bytes: encoder.call(test.site, test.target), literalBytes: 0 };
  }
  if (test.kind === 'trampoline') {
    const name = encoder.trampolineFormName(test.site, test.target, test.form);
    return {
      header: `trampoline ${test.form} -> ${name} target=${hex(test.target)}`,
      site: test.site,
      bytes: encoder.trampoline(test.site, test.target, test.form),
      literalBytes: name === X86_64_FAR_JUMP ? 8 : 0,
    };
  }
  return {
    header: `mediatorStub ${test.reach} index=${test.index} entry=${hex(test.entry)}`,
    site: test.site,
    bytes: encoder.mediatorStub(test.site, test.index, test.entry),
    literalBytes: encoder.isa === 'x86-64' && test.reach === 'far' ? 8 : 0,
  };
}

/** The mediator's guest code where a node places it, over the linkage table at 0x200000. */
function mediatorEntry(isa: IsaName): GoldenEntry {
  const mediator = buildMediator(toolchain.assembler, isa, 0x1f0000, 0x200000);
  const source = mediatorSourcePath(isa).replace(/^.*\/linker\//, 'linker/');
  return { header: `mediator ${source} table=0x200000`, site: 0x1f0000n, bytes: mediator.bytes, literalBytes: 0 };
}

const C_MODULE = fileURLToPath(new URL('../golden/c-module.c', import.meta.url));

/** Each reference the linker found in the C module, at 0x110000: the instruction as the link leaves it (placeholder target). */
function cModuleEntries(isa: IsaName): GoldenEntry[] {
  const module = compileCModule(isa, {
    name: 'c-module', file: 'tests/golden/c-module.c', address: 0x110000, dataTop: 0x2f0000, library: false,
    objects: [
      { file: 'tests/golden/c-module.c', ...compileC(isa, dirname(C_MODULE), 'c-module.c'), exports: true },
      { file: 'images/lib/c/runtime.c', ...compileC(isa, C_RUNTIME_DIR, 'runtime.c'), exports: false },
    ],
  }, toolchain.disassembler);
  return module.references.map((reference) => ({
    header: `C reference ${reference.symbol} ${reference.relocation.kind} field+${reference.relocation.fieldOffset}`,
    site: BigInt(reference.site),
    bytes: module.bytes.subarray(reference.site - module.address, reference.site - module.address + reference.length),
    literalBytes: 0,
  }));
}

let toolchain: Toolchain;
beforeAll(async () => {
  toolchain = await loadToolchain();
});

describe('golden opcodes', () => {
  it.each(ISA_NAMES)('tests/golden/%s.txt matches what the encoder emits', (isa) => {
    const path = fileURLToPath(new URL(`../golden/${isa}.txt`, import.meta.url));
    const encoder = encoderFor(isa);
    const actual = renderListing(toolchain, isa,
      [...CASES[isa].map((test) => entry(encoder, test)), mediatorEntry(isa), ...cModuleEntries(isa)]);
    if (process.env['UPDATE_GOLDEN']) {
      writeFileSync(path, actual);
      return;
    }
    expect(existsSync(path), `${path} is missing: run UPDATE_GOLDEN=1 npx vitest run tests/linker/golden.test.ts`).toBe(true);
    expect(actual, `emitted ${isa} opcodes differ from ${path}; review the diff, then rerun with UPDATE_GOLDEN=1`)
      .toBe(readFileSync(path, 'utf8'));
  });
});
