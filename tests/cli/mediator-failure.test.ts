// A toolchain that cannot assemble the linker's own mediator (keystone gone or out of
// time) is the host's trouble, not the image's: one line naming the image and the
// mediator, no stack trace. Keystone never fails on the mediator here, so the failure
// is a mock: the real assembler, except that it refuses the mediator's source.
import { describe, expect, it } from 'vitest';
import { loadImage } from '../../emulator/image/index.js';
import { AssemblyError, loadToolchain, mediatorSourcePath, type Toolchain } from '../../linker/index.js';

describe('a mediator the toolchain cannot assemble (mock: the assembler refusing the mediator)', () => {
  it('is one ImageError line naming the image, the ISA and the assembler\'s reason', async () => {
    const real = await loadToolchain();
    const mediator = mediatorSourcePath('x86-32');
    const refusing = Object.create(real.assembler) as Toolchain['assembler'];
    refusing.assemble = (isa, source, options) => {
      if (options.file === mediator) throw new AssemblyError(mediator, 1, 'keystone did not finish within 60 s', '');
      return real.assembler.assemble(isa, source, options);
    };
    expect(() => loadImage('images/hello-x86.json', { assembler: refusing, disassembler: real.disassembler }))
      .toThrow(`images/hello-x86.json: cannot assemble the x86-32 mediator: ${mediator}:1: keystone did not finish within 60 s`);
  });
});
