// The folders of clustervm and what each may import: the one table that
// `.dependency-cruiser.mjs` enforces and tests/architecture checks the READMEs against.
// A folder may import itself and the folders it lists, never a folder above it, so
// no two folders can import each other.

/** @type {readonly { folder: string, mayImport: readonly string[] }[]} */
export const LAYERS = [
  { folder: 'isa', mayImport: [] },
  { folder: 'linker', mayImport: ['isa'] },
  { folder: 'firmware', mayImport: ['isa', 'linker'] },
  { folder: 'guest-kernel', mayImport: ['isa', 'linker'] },
  { folder: 'emulator/engine', mayImport: ['isa'] },
  { folder: 'emulator/machine', mayImport: ['isa', 'linker', 'guest-kernel', 'emulator/engine'] },
  {
    folder: 'emulator/image',
    mayImport: ['isa', 'linker', 'firmware', 'guest-kernel', 'emulator/engine', 'emulator/machine'],
  },
  { folder: 'emulator/reports', mayImport: ['isa', 'linker', 'guest-kernel', 'emulator/machine'] },
  {
    folder: 'emulator/debugger',
    mayImport: ['isa', 'linker', 'guest-kernel', 'emulator/engine', 'emulator/machine', 'emulator/reports'],
  },
  { folder: 'emulator/supervisor', mayImport: ['isa', 'linker', 'emulator/engine', 'emulator/machine'] },
  { folder: 'emulator/snapshot', mayImport: ['isa', 'linker', 'guest-kernel', 'emulator/engine', 'emulator/machine'] },
  { folder: 'emulator/perfetto', mayImport: ['isa', 'linker', 'guest-kernel', 'emulator/engine', 'emulator/machine'] },
  {
    folder: 'emulator/run-report',
    mayImport: ['isa', 'linker', 'guest-kernel', 'emulator/engine', 'emulator/machine', 'emulator/reports', 'emulator/perfetto'],
  },
  {
    folder: 'emulator',
    mayImport: ['isa', 'linker', 'guest-kernel', 'emulator/engine', 'emulator/machine', 'emulator/image'],
  },
  {
    folder: 'emulator/cli',
    mayImport: [
      'isa', 'linker', 'guest-kernel', 'emulator/engine', 'emulator/machine', 'emulator/image',
      'emulator/reports', 'emulator/debugger', 'emulator/supervisor', 'emulator/snapshot', 'emulator/perfetto', 'emulator/run-report', 'emulator',
    ],
  },
];

/** The files of a folder: `emulator` holds only its own top-level files, the rest hold their subtree. */
export function folderPattern(folder) {
  return folder === 'emulator' ? '^emulator/[^/]+$' : `^${folder}/`;
}
