import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { buildFirmware } from '../../firmware/index.js';
import { SYSCALLS } from '../../guest-kernel/index.js';
import { AssemblyError, type Assembler, type IsaName } from '../../linker/index.js';
import type { LinkOverride, LinkParameters } from '../machine/interconnect.js';
import {
  BOOT_INFO, BOOT_INFO_FIELDS, CODE_END, FIRMWARE_BASE, NODE_DATA, PROGRAM_BASE, RAM_BASE, STACK_BYTES,
  stacksBottom,
} from '../machine/layout.js';
import type { NodeImage } from '../machine/node.js';
import { ImageError } from './image-error.js';
import { ImageSchema, type ImageFile, type NodeGroup } from './schema.js';

export interface LoadedImage {
  readonly path: string;
  readonly name: string;
  readonly clockHz: number;
  readonly link: LinkParameters;
  readonly links: readonly LinkOverride[];
  readonly nodes: readonly NodeImage[];
}

/** Assembler symbols every guest program sees: syscalls and the memory layout. */
export function guestSymbols(): Map<string, number> {
  return new Map<string, number>([
    ...Object.entries(SYSCALLS),
    ...Object.entries(BOOT_INFO_FIELDS),
    ['BOOT_INFO', BOOT_INFO],
    ['RAM_BASE', RAM_BASE],
    ['NODE_DATA', NODE_DATA],
    ['STACK_BYTES', STACK_BYTES],
  ]);
}

function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) =>
    typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key), '');
}

function parseImage(file: string): ImageFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ImageError(`${file}: cannot read image (${code === 'ENOENT' ? 'no such file' : String(code)})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ImageError(`${file}: not valid JSON: ${(error as Error).message}`);
  }
  const parsed = ImageSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = fieldPath(issue.path) || '(top level)';
    throw new ImageError(`${file}: ${field}: ${issue.message}`);
  }
  return parsed.data;
}

const PROGRAM_ALIGN = 64;

interface AssembledProgram {
  readonly bytes: Uint8Array;
  readonly labels: ReadonlyMap<string, number>;
}

/** Reads, validates and assembles a cluster image. Throws ImageError on any user mistake. */
export function loadImage(file: string, assembler: Assembler): LoadedImage {
  const image = parseImage(file);
  const baseDir = dirname(resolve(file));
  const symbols = guestSymbols();
  const firmware = new Map<IsaName, ReturnType<typeof buildFirmware>>();
  const nodes: NodeImage[] = [];

  image.nodes.forEach((group, groupIndex) => {
    const groupField = `nodes[${groupIndex}]`;
    const fw = firmware.get(group.isa) ?? buildFirmware(assembler, group.isa, FIRMWARE_BASE, symbols);
    firmware.set(group.isa, fw);
    const ramBytes = group.ramMiB * 0x10_0000;
    if (stacksBottom(ramBytes, group.cores) < NODE_DATA + 0x1_0000) {
      throw new ImageError(`${file}: ${groupField}.ramMiB: ${group.ramMiB} MiB leaves no room for ${group.cores} stacks`);
    }
    const { code, entries } = placePrograms(file, baseDir, groupField, group, assembler, symbols);
    code.set(fw.bytes, FIRMWARE_BASE - RAM_BASE);
    for (let copy = 0; copy < group.count; copy++) {
      nodes.push({
        id: nodes.length, isa: group.isa, cores: group.cores, ramBytes, code,
        firmwareEntry: fw.entry, entries,
      });
    }
  });

  return {
    path: file,
    name: image.name,
    clockHz: image.clockHz,
    link: { latencyNs: image.interconnect.latencyNs, bandwidthBps: image.interconnect.bandwidthMbps * 1e6 },
    links: image.interconnect.links.map((link, i) => {
      if (link.from >= nodes.length || link.to >= nodes.length) {
        throw new ImageError(`${file}: interconnect.links[${i}]: names node ${Math.max(link.from, link.to)}, but the image has ${nodes.length} nodes`);
      }
      return { from: link.from, to: link.to, latencyNs: link.latencyNs, bandwidthBps: link.bandwidthMbps * 1e6 };
    }),
    nodes,
  };
}

function placePrograms(file: string, baseDir: string, groupField: string, group: NodeGroup,
                       assembler: Assembler, symbols: ReadonlyMap<string, number>) {
  const code = new Uint8Array(CODE_END - RAM_BASE);
  const entries: (number | undefined)[] = new Array<number | undefined>(group.cores).fill(undefined);
  let address = PROGRAM_BASE;
  group.programs.forEach((program, programIndex) => {
    const field = `${groupField}.programs[${programIndex}]`;
    const sourcePath = resolve(baseDir, program.source);
    const unit = assembleProgram(file, field, sourcePath, group.isa, address, assembler, symbols);
    if (address + unit.bytes.length > CODE_END) {
      throw new ImageError(`${file}: ${field}.source: programs exceed the ${(CODE_END - PROGRAM_BASE) >> 10} KiB code region`);
    }
    const entry = unit.labels.get(program.entry);
    if (entry === undefined) {
      throw new ImageError(`${file}: ${field}.entry: label '${program.entry}' is not defined in ${relative(process.cwd(), sourcePath)}`);
    }
    code.set(unit.bytes, address - RAM_BASE);
    const cores = program.cores === 'all' ? [...entries.keys()] : program.cores;
    for (const core of cores) {
      if (core >= group.cores) {
        throw new ImageError(`${file}: ${field}.cores: core ${core} does not exist (the node has ${group.cores} cores)`);
      }
      if (entries[core] !== undefined) {
        throw new ImageError(`${file}: ${field}.cores: core ${core} already runs another program`);
      }
      entries[core] = entry;
    }
    address = Math.ceil((address + unit.bytes.length) / PROGRAM_ALIGN) * PROGRAM_ALIGN;
  });
  return { code, entries };
}

function assembleProgram(file: string, field: string, sourcePath: string, isa: IsaName, address: number,
                         assembler: Assembler, symbols: ReadonlyMap<string, number>): AssembledProgram {
  let source: string;
  try {
    source = readFileSync(sourcePath, 'utf8');
  } catch {
    throw new ImageError(`${file}: ${field}.source: cannot read ${relative(process.cwd(), sourcePath)}`);
  }
  try {
    return assembler.assemble(isa, source, { address, file: relative(process.cwd(), sourcePath), symbols });
  } catch (error) {
    if (error instanceof AssemblyError) throw new ImageError(error.message);
    throw error;
  }
}
