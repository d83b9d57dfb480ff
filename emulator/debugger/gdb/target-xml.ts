import type { IsaName } from '../../../isa/index.js';
import type { TargetLayout } from './layout.js';
import { SPARC32_LAYOUT, SPARC64_LAYOUT } from './layout-sparc.js';
import { X86_32_LAYOUT, X86_64_LAYOUT } from './layout-x86.js';

export const LAYOUTS: Readonly<Record<IsaName, TargetLayout>> = {
  'x86-32': X86_32_LAYOUT,
  'x86-64': X86_64_LAYOUT,
  sparc32: SPARC32_LAYOUT,
  sparc64: SPARC64_LAYOUT,
};

/** The target description gdb reads as target.xml: every feature inline, every register numbered. */
export function targetXml(layout: TargetLayout): string {
  let regnum = 0;
  const features = layout.features.map((feature) => {
    const registers = feature.registers.map((reg) => `<reg name="${reg.name}" bitsize="${reg.bits}" type="${reg.type}"`
      + ` regnum="${regnum++}"${reg.group ? ` group="${reg.group}"` : ''}/>`);
    return `<feature name="${feature.name}">${feature.types}${registers.join('')}</feature>`;
  });
  return '<?xml version="1.0"?><!DOCTYPE target SYSTEM "gdb-target.dtd">'
    + `<target version="1.0"><architecture>${layout.architecture}</architecture>${features.join('')}</target>`;
}
