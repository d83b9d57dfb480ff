// Shared by the toolchain suites: the fixtures beside them and the symbols every guest
// program sees.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { guestSymbols, PROGRAM_BASE } from '../../../emulator/index.js';
import { AssemblyError, type Assembler } from '../../../linker/index.js';
import { type IsaName } from '../../../isa/index.js';

export const FIXTURES = fileURLToPath(new URL('.', import.meta.url));

/** The ISA a fixture is written for: the first part of its file name. */
export function fixtureIsa(file: string): IsaName {
  return file.split('.')[0] as IsaName;
}

export function readFixture(relativePath: string): string {
  return readFileSync(join(FIXTURES, relativePath), 'utf8');
}

/** The kernel's symbols with a DSM (DSM_BASE, DSM_PAGE), as an image with `dsm` sees them. */
export const SYMBOLS = guestSymbols({ base: 0x4000_0000, bytes: 4 << 20, pageBytes: 0x1000, location: 'broadcast' });

export function assemble(assembler: Assembler, isa: IsaName, source: string, file = `${isa}.s`) {
  return assembler.assemble(isa, source, { address: PROGRAM_BASE, file, symbols: SYMBOLS });
}

/** The AssemblyError the source raises (failing the test when it assembles). */
export function assemblyError(assembler: Assembler, isa: IsaName, source: string, file = `${isa}.s`): AssemblyError {
  try {
    const unit = assemble(assembler, isa, source, file);
    throw new Error(`assembled to ${unit.bytes.length} bytes without an error`);
  } catch (error) {
    if (error instanceof AssemblyError) return error;
    throw error;
  }
}
