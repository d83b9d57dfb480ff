// The DWARF of several placed objects, joined as a linker joins it: each .debug_*
// section of the output is the same-named sections of the objects one after the
// other, and every relocation in them is applied with the loadable sections where
// they were placed and each object's debug sections where its piece of the output
// starts. References between DWARF sections (a unit's abbreviations, its line program,
// its strings) are section offsets with relocations, so they stay right when pieces
// move; the units themselves need no other change.
import type { ElfObject } from './elf-object.js';
import { relocatedSection } from './relocations.js';

export interface PlacedElfObject {
  readonly object: ElfObject;
  /** Where each loadable section was placed, by section index. */
  readonly addresses: ReadonlyMap<number, number>;
}

const isDebug = (name: string) => name.startsWith('.debug_');
const alignUp = (value: number, align: number) => Math.ceil(value / Math.max(1, align)) * Math.max(1, align);

/** Each .debug_* section name, with the relocated contents of every object's section of that name. */
export function joinDebugSections(objects: readonly PlacedElfObject[]): Map<string, { bytes: Uint8Array; align: number }> {
  // First where each object's piece goes, then the pieces relocated to those places.
  const sizes = new Map<string, number>();
  const aligns = new Map<string, number>();
  const pieceAt = objects.map(({ object }) => {
    const at = new Map<number, number>();
    for (const section of object.sections.filter((s) => isDebug(s.name))) {
      const start = alignUp(sizes.get(section.name) ?? 0, section.addralign);
      at.set(section.index, start);
      sizes.set(section.name, start + section.size);
      aligns.set(section.name, Math.max(aligns.get(section.name) ?? 1, section.addralign));
    }
    return at;
  });
  const joined = new Map([...sizes].map(([name, size]) => [name, { bytes: new Uint8Array(size), align: aligns.get(name)! }]));
  objects.forEach(({ object, addresses }, i) => {
    const addressOf = (index: number) => addresses.get(index) ?? pieceAt[i]!.get(index);
    for (const section of object.sections.filter((s) => isDebug(s.name))) {
      joined.get(section.name)!.bytes.set(relocatedSection(object, section.index, addressOf), pieceAt[i]!.get(section.index));
    }
  });
  return joined;
}
