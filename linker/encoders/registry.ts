import type { IsaName } from '../../isa/index.js';
import type { Encoder } from './encoder.js';
import { SparcEncoder } from './sparc.js';
import { X86Encoder } from './x86.js';

const ENCODERS: Readonly<Record<IsaName, Encoder>> = {
  'x86-32': new X86Encoder('x86-32'),
  'x86-64': new X86Encoder('x86-64'),
  sparc32: new SparcEncoder('sparc32'),
  sparc64: new SparcEncoder('sparc64'),
};

export function encoderFor(isa: IsaName): Encoder {
  return ENCODERS[isa];
}
