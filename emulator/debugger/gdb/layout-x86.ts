import { engine, layout, NONE, PC, type FeatureSpec, type RegisterSpec, type TargetLayout } from './layout.js';

// gdb's org.gnu.gdb.i386.core feature (32bit-core.xml, 64bit-core.xml): general
// registers, eflags, segments, then the x87 stack and its control registers, which
// Unicorn is not asked for here. Without the optional SSE feature gdb takes the target
// for x87-only, so these registers are the whole g packet.

const EFLAGS_BITS: readonly [string, number][] = [
  ['CF', 0], ['PF', 2], ['AF', 4], ['ZF', 6], ['SF', 7], ['TF', 8], ['IF', 9], ['DF', 10], ['OF', 11],
  ['NT', 14], ['RF', 16], ['VM', 17], ['AC', 18], ['VIF', 19], ['VIP', 20], ['ID', 21],
];

const EFLAGS_TYPE = `<flags id="i386_eflags" size="4">${
  EFLAGS_BITS.map(([name, bit]) => `<field name="${name}" start="${bit}" end="${bit}"/>`).join('')}</flags>`;

function reg(name: string, bits: number, type: string, source = engine(name)): RegisterSpec {
  return { name, bits, type, source };
}

const SEGMENTS = ['cs', 'ss', 'ds', 'es', 'fs', 'gs'].map((name) => reg(name, 32, 'int32'));

const X87: readonly RegisterSpec[] = [
  ...Array.from({ length: 8 }, (_, i) => reg(`st${i}`, 80, 'i387_ext', NONE)),
  ...['fctrl', 'fstat', 'ftag', 'fiseg', 'fioff', 'foseg', 'fooff', 'fop']
    .map((name) => ({ name, bits: 32, type: 'int', group: 'float', source: NONE })),
];

function core(registers: readonly RegisterSpec[]): FeatureSpec {
  return { name: 'org.gnu.gdb.i386.core', types: EFLAGS_TYPE, registers: [...registers, ...SEGMENTS, ...X87] };
}

export const X86_32_LAYOUT: TargetLayout = layout('x86-32', 'i386', [core([
  ...['eax', 'ecx', 'edx', 'ebx'].map((name) => reg(name, 32, 'int32')),
  reg('esp', 32, 'data_ptr'), reg('ebp', 32, 'data_ptr'),
  reg('esi', 32, 'int32'), reg('edi', 32, 'int32'),
  reg('eip', 32, 'code_ptr', PC), reg('eflags', 32, 'i386_eflags'),
])]);

export const X86_64_LAYOUT: TargetLayout = layout('x86-64', 'i386:x86-64', [core([
  ...['rax', 'rbx', 'rcx', 'rdx', 'rsi', 'rdi'].map((name) => reg(name, 64, 'int64')),
  reg('rbp', 64, 'data_ptr'), reg('rsp', 64, 'data_ptr'),
  ...Array.from({ length: 8 }, (_, i) => reg(`r${i + 8}`, 64, 'int64')),
  reg('rip', 64, 'code_ptr', PC), reg('eflags', 32, 'i386_eflags'),
])]);
