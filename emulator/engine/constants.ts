// Numeric values from unicorn.h (Unicorn 2). Register ids were read off the installed
// headers with a C program, because the enums in x86.h and sparc.h skip values.

export const UC_ARCH_X86 = 4;
export const UC_ARCH_SPARC = 6;

export const UC_MODE_32 = 1 << 2;
export const UC_MODE_64 = 1 << 3;
export const UC_MODE_SPARC32 = 1 << 2;
export const UC_MODE_SPARC64 = 1 << 3;
export const UC_MODE_BIG_ENDIAN = 1 << 30;

export const UC_PROT_READ = 1;
export const UC_PROT_WRITE = 2;
export const UC_PROT_EXEC = 4;
export const UC_PROT_ALL = 7;

export const UC_HOOK_INTR = 1 << 0;
export const UC_HOOK_CODE = 1 << 2;
export const UC_HOOK_BLOCK = 1 << 3;
export const UC_HOOK_MEM_READ_UNMAPPED = 1 << 4;
export const UC_HOOK_MEM_WRITE_UNMAPPED = 1 << 5;
export const UC_HOOK_MEM_FETCH_UNMAPPED = 1 << 6;
export const UC_HOOK_MEM_READ_PROT = 1 << 7;
export const UC_HOOK_MEM_WRITE_PROT = 1 << 8;
export const UC_HOOK_MEM_FETCH_PROT = 1 << 9;
export const UC_HOOK_MEM_READ = 1 << 10;
export const UC_HOOK_MEM_WRITE = 1 << 11;
export const UC_HOOK_INSN_INVALID = 1 << 14;

export const UC_MEM_WRITE = 17;
export const UC_MEM_READ_UNMAPPED = 19;
export const UC_MEM_WRITE_UNMAPPED = 20;
export const UC_MEM_FETCH_UNMAPPED = 21;
export const UC_MEM_WRITE_PROT = 22;
export const UC_MEM_READ_PROT = 23;
export const UC_MEM_FETCH_PROT = 24;

export const UC_CTL_TB_REMOVE_CACHE_WRITE = 1207959561;

export const UC_ERR_OK = 0;
export const UC_ERR_READ_UNMAPPED = 6;
export const UC_ERR_WRITE_UNMAPPED = 7;
export const UC_ERR_FETCH_UNMAPPED = 8;
export const UC_ERR_INSN_INVALID = 10;
export const UC_ERR_WRITE_PROT = 12;
export const UC_ERR_READ_PROT = 13;
export const UC_ERR_FETCH_PROT = 14;
export const UC_ERR_EXCEPTION = 21;

const X86_XMM0 = 122;

/** SSE's xmm0-xmm15: 128 bits each, which uc_reg_read and uc_reg_write move whole. */
export const X86_VECTOR_REGS: readonly string[] = Array.from({ length: 16 }, (_, i) => `xmm${i}`);

export const X86_REGS: Readonly<Record<string, number>> = {
  eax: 19, ebx: 21, ecx: 22, edx: 24, esi: 29, edi: 23, ebp: 20, esp: 30, eip: 26, eflags: 25,
  rax: 35, rbx: 37, rcx: 38, rdx: 40, rsi: 43, rdi: 39, rbp: 36, rsp: 44, rip: 41,
  r8: 106, r9: 107, r10: 108, r11: 109, r12: 110, r13: 111, r14: 112, r15: 113,
  cs: 11, ss: 49, ds: 17, es: 28, fs: 32, gs: 33,
  ...Object.fromEntries(X86_VECTOR_REGS.map((name, i) => [name, X86_XMM0 + i])),
  mxcsr: 249, fs_base: 250, gs_base: 251,
  /** The x87 status and control words (the stack's registers themselves are not asked for). */
  fpsw: 31, fpcw: 246,
};

const SPARC_G0 = 53;
const SPARC_I0 = 61;
const SPARC_L0 = 70;
const SPARC_O0 = 78;

function sparcWindowRegisters(): Record<string, number> {
  const regs: Record<string, number> = {};
  for (let i = 0; i < 8; i++) {
    regs[`g${i}`] = SPARC_G0 + i;
    regs[`i${i}`] = SPARC_I0 + i;
    regs[`l${i}`] = SPARC_L0 + i;
    regs[`o${i}`] = SPARC_O0 + i;
  }
  return regs;
}

export const SPARC_REGS: Readonly<Record<string, number>> = {
  ...sparcWindowRegisters(),
  sp: SPARC_O0 + 6,
  fp: SPARC_I0 + 6,
  icc: 69,
  y: 86,
  xcc: 87,
  pc: 88,
};
