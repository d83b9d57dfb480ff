// Guests that write one buffer to the console many times, on every ISA: the console
// floods of issue 10 (lines without newlines, and more output than a JS string holds).
import type { IsaName } from '../../../isa/index.js';

export const ISAS: readonly IsaName[] = ['x86-32', 'x86-64', 'sparc32', 'sparc64'];

export interface Flood {
  /** SYS_WRITE calls per core. */
  readonly writes: number;
  /** Bytes per write: `fillBytes` copies of `fill`, then a newline when `newline`. */
  readonly fillBytes: number;
  readonly fill: number;
  readonly newline: boolean;
}

/** A program that writes the flood's buffer `writes` times and exits with 0. */
function floodSource(isa: IsaName, flood: Flood): string {
  const bytes = flood.fillBytes + (flood.newline ? 1 : 0);
  const buffer = `buffer:\n    .fill ${flood.fillBytes}, 1, ${flood.fill}\n${flood.newline ? '    .byte 10\n' : ''}`;
  switch (isa) {
    case 'x86-32':
      return `main:\n    push ebx\n    push esi\n    mov esi, ${flood.writes}\nagain:\n    mov ebx, buffer\n    mov ecx, ${bytes}\n` +
        `    mov eax, SYS_WRITE\n    int 0x80\n    dec esi\n    jnz again\n    pop esi\n    pop ebx\n    xor eax, eax\n    ret\n${buffer}`;
    case 'x86-64':
      return `main:\n    push r12\n    mov r12d, ${flood.writes}\nagain:\n    lea rdi, [rip + buffer]\n    mov esi, ${bytes}\n` +
        `    mov eax, SYS_WRITE\n    int 0x80\n    dec r12d\n    jnz again\n    pop r12\n    xor eax, eax\n    ret\n${buffer}`;
    case 'sparc32':
    case 'sparc64':
      return `main:\n    set ${flood.writes}, %o5\nagain:\n    set buffer, %o0\n    set ${bytes}, %o1\n    mov SYS_WRITE, %g1\n` +
        `    ta 0x10\n    subcc %o5, 1, %o5\n    bne again\n    nop\n    retl\n    clr %o0\n${buffer}`;
  }
}

/** An image of one single-core node per ISA, every core running its ISA's flood. */
export function floodImage(name: string, flood: Flood, file: (name: string, text: string) => string): string {
  const nodes = ISAS.map((isa) => {
    file(`${name}-${isa}.s`, floodSource(isa, flood));
    return { isa, cores: 1, programs: [{ source: `${name}-${isa}.s`, entry: 'main' }] };
  });
  return file(`${name}.json`, `${JSON.stringify({ name, nodes }, null, 2)}\n`);
}
