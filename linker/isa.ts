// The instruction sets clustervm runs. The linker is the lowest layer that needs the
// list (its encoders are per ISA), so the list lives here and the emulator imports it.

export const ISA_NAMES = ['x86-32', 'x86-64', 'sparc32', 'sparc64'] as const;
export type IsaName = (typeof ISA_NAMES)[number];

export function isIsaName(name: string): name is IsaName {
  return (ISA_NAMES as readonly string[]).includes(name);
}

export function isaFamily(isa: IsaName): 'x86' | 'sparc' {
  return isa.startsWith('x86') ? 'x86' : 'sparc';
}

