import { engine, layout, NONE, PC, type FeatureSpec, type RegisterSpec, type TargetLayout } from './layout.js';

// gdb's features for i386 and x86-64 (32bit-core.xml, 64bit-core.xml, *-sse.xml,
// *-segments.xml), in gdb's order: general registers, eflags, segments, the x87 stack
// and its control registers (not asked of Unicorn: unavailable); then SSE's xmm
// registers (8 on i386, 16 on x86-64) and mxcsr; then fs_base and gs_base, the
// segment bases Unicorn keeps for x86-64.

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

const MXCSR_BITS = ['IE', 'DE', 'ZE', 'OE', 'UE', 'PE', 'DAZ', 'IM', 'DM', 'ZM', 'OM', 'UM', 'PM', 'FZ'];

/** The vec128 union gdb's SSE feature defines: an xmm register seen as each lane shape. */
const SSE_TYPES = [
  '<vector id="v4f" type="ieee_single" count="4"/>', '<vector id="v2d" type="ieee_double" count="2"/>',
  '<vector id="v16i8" type="int8" count="16"/>', '<vector id="v8i16" type="int16" count="8"/>',
  '<vector id="v4i32" type="int32" count="4"/>', '<vector id="v2i64" type="int64" count="2"/>',
  '<union id="vec128"><field name="v4_float" type="v4f"/><field name="v2_double" type="v2d"/>'
    + '<field name="v16_int8" type="v16i8"/><field name="v8_int16" type="v8i16"/>'
    + '<field name="v4_int32" type="v4i32"/><field name="v2_int64" type="v2i64"/>'
    + '<field name="uint128" type="uint128"/></union>',
  `<flags id="i386_mxcsr" size="4">${MXCSR_BITS.map((name, bit) => `<field name="${name}" start="${bit}" end="${bit}"/>`).join('')}</flags>`,
].join('');

function sse(count: number): FeatureSpec {
  return {
    name: 'org.gnu.gdb.i386.sse', types: SSE_TYPES, registers: [
      ...Array.from({ length: count }, (_, i) => ({ ...reg(`xmm${i}`, 128, 'vec128'), group: 'vector' })),
      { ...reg('mxcsr', 32, 'i386_mxcsr'), group: 'vector' },
    ],
  };
}

const SEGMENT_BASES: FeatureSpec = {
  name: 'org.gnu.gdb.i386.segments', types: '', registers: [reg('fs_base', 64, 'int'), reg('gs_base', 64, 'int')],
};

export const X86_32_LAYOUT: TargetLayout = layout('x86-32', 'i386', [core([
  ...['eax', 'ecx', 'edx', 'ebx'].map((name) => reg(name, 32, 'int32')),
  reg('esp', 32, 'data_ptr'), reg('ebp', 32, 'data_ptr'),
  reg('esi', 32, 'int32'), reg('edi', 32, 'int32'),
  reg('eip', 32, 'code_ptr', PC), reg('eflags', 32, 'i386_eflags'),
]), sse(8)]);

export const X86_64_LAYOUT: TargetLayout = layout('x86-64', 'i386:x86-64', [core([
  ...['rax', 'rbx', 'rcx', 'rdx', 'rsi', 'rdi'].map((name) => reg(name, 64, 'int64')),
  reg('rbp', 64, 'data_ptr'), reg('rsp', 64, 'data_ptr'),
  ...Array.from({ length: 8 }, (_, i) => reg(`r${i + 8}`, 64, 'int64')),
  reg('rip', 64, 'code_ptr', PC), reg('eflags', 32, 'i386_eflags'),
]), sse(16), SEGMENT_BASES]);
