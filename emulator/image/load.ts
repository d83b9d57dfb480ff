import { dirname, resolve } from 'node:path';
import type { z } from 'zod';
import { buildFirmware } from '../../firmware/index.js';
import {
  CHANNEL_FLAGS, heapStart, PAYLOAD_BYTES, SYSCALLS, TASK_FLAGS, type DsmConfig, type TaskConfig,
} from '../../guest-kernel/index.js';
import type { Intensity } from '../../linker/index.js';
import { ISAS, type IsaName } from '../../isa/index.js';
import {
  BOOT_INFO, BOOT_INFO_FIELDS, CHANNEL_AREA, CODE_END, DSM_BASE, FIRMWARE_BASE, TASK_BASE, NODE_DATA, RAM_BASE, STACK_BYTES, USER_DATA, stacksBottom,
  type ClusterSpec, type NodeImage,
} from '../machine/index.js';
import type { Toolchain } from '../../linker/index.js';
import { ImageError } from './image-error.js';
import { layOutChannels } from './channel-layout.js';
import { linkGroup } from './link-group.js';
import { MAX_IMAGE_BYTES, readBounded } from './read-bounded.js';
import { ImageSchema, type DropSpec, type ImageFile } from './schema.js';

/** A cluster image, loaded: the machine's ClusterSpec, and the file it came from. */
export interface LoadedImage extends ClusterSpec {
  readonly path: string;
  readonly name: string;
  readonly drops: readonly DropSpec[];
}

/** Assembler symbols every guest program sees: syscalls, the memory layout and the DSM. */
export function guestSymbols(dsm?: DsmConfig, tasks?: TaskConfig): Map<string, number> {
  return new Map<string, number>([
    ...(dsm ? [['DSM_BASE', dsm.base], ['DSM_HEAP', heapStart(dsm)], ['DSM_PAGE', dsm.pageBytes]] as [string, number][] : []),
    ...(tasks ? [['TASK_BASE', tasks.base], ['TASK_BYTES', tasks.bytes], ['TASK_PAGE', tasks.pageBytes]] as [string, number][] : []),
    ...Object.entries(TASK_FLAGS),
    ...Object.entries(SYSCALLS),
    ...Object.entries(BOOT_INFO_FIELDS),
    ['BOOT_INFO', BOOT_INFO],
    ['RAM_BASE', RAM_BASE],
    ['NODE_DATA', NODE_DATA],
    ['USER_DATA', USER_DATA],
    ['CHANNEL_TABLE', CHANNEL_AREA],
    ['CHAN_PAYLOAD', PAYLOAD_BYTES],
    ...Object.entries(CHANNEL_FLAGS),
    ['STACK_BYTES', STACK_BYTES],
  ]);
}

function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) =>
    typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key), '');
}

function readImage(file: string): string {
  const read = readBounded(file, MAX_IMAGE_BYTES);
  if (read.kind === 'too-large') throw new ImageError(`${file}: not an image: larger than ${MAX_IMAGE_BYTES >> 10} KiB`);
  if (read.kind === 'error') {
    throw new ImageError(`${file}: cannot read image (${read.code === 'ENOENT' ? 'no such file' : read.code})`);
  }
  return read.text;
}

/**
 * The issue to report: a misspelt field first, since it explains the others (a
 * misspelt `programs` also leaves `programs` missing).
 */
function firstIssue(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue {
  return issues.find((issue) => issue.code === 'unrecognized_keys') ?? issues[0]!;
}

function parseImage(file: string): ImageFile {
  const text = readImage(file);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ImageError(`${file}: not valid JSON: ${(error as Error).message}`);
  }
  const parsed = ImageSchema.safeParse(json);
  if (!parsed.success) {
    const issue = firstIssue(parsed.error.issues);
    const field = fieldPath(issue.path) || '(top level)';
    throw new ImageError(`${file}: ${field}: ${issue.message}`);
  }
  return parsed.data;
}

/** Choices made outside the image file. */
export interface LoadOptions {
  /** `--bind SYMBOL=intensity`: overrides the image's binding of SYMBOL in every node group. */
  readonly bind?: ReadonlyMap<string, Intensity>;
}

/** Reads, validates, assembles and plans the links of a cluster image. Throws ImageError on any user mistake. */
export function loadImage(file: string, toolchain: Toolchain, options: LoadOptions = {}): LoadedImage {
  const image = parseImage(file);
  const baseDir = dirname(resolve(file));
  const dsm = dsmConfig(file, image);
  const tasks = taskConfig(image);
  const symbols = guestSymbols(dsm, tasks);
  const overrides = options.bind ?? new Map<string, Intensity>();
  const firmware = new Map<IsaName, ReturnType<typeof buildFirmware>>();
  const nodes: NodeImage[] = [];

  image.nodes.forEach((group, groupIndex) => {
    const field = `nodes[${groupIndex}]`;
    const fw = firmware.get(group.isa) ?? buildFirmware(toolchain.assembler, group.isa, FIRMWARE_BASE, symbols);
    firmware.set(group.isa, fw);
    const ramBytes = group.ramMiB * 0x10_0000;
    if (stacksBottom(ramBytes, group.cores) < USER_DATA + 0x1_0000) {
      throw new ImageError(`${file}: ${field}.ramMiB: ${group.ramMiB} MiB leaves no room for ${group.cores} stacks`);
    }
    const { plan, entries } = linkGroup(group, { file, baseDir, field, toolchain, symbols, overrides });
    const code = new Uint8Array(CODE_END - RAM_BASE);
    code.set(fw.bytes, FIRMWARE_BASE - RAM_BASE);
    for (let copy = 0; copy < group.count; copy++) {
      nodes.push({
        id: nodes.length, isa: group.isa, cores: group.cores, ramBytes, code,
        firmwareEntry: fw.entry, taskEntry: fw.taskEntry, entries, link: plan, policies: group.policies,
      });
    }
  });
  for (const symbol of overrides.keys()) {
    if (!nodes.some((node) => node.link.modules.some((m) => m.exports.has(symbol)))) {
      throw new ImageError(`${file}: --bind ${symbol}: no module of the image exports ${symbol}`);
    }
  }

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
    drops: image.interconnect.drop.map((drop, i) => {
      if (drop.to >= nodes.length || (drop.from ?? 0) >= nodes.length) {
        throw new ImageError(`${file}: interconnect.drop[${i}]: names node ${Math.max(drop.to, drop.from ?? 0)}, but the image has ${nodes.length} nodes`);
      }
      return drop;
    }),
    crashes: image.interconnect.faults.map((fault, i) => {
      if (fault.node >= nodes.length) {
        throw new ImageError(`${file}: interconnect.faults[${i}].node: names node ${fault.node}, but the image has ${nodes.length} nodes`);
      }
      return { node: fault.node, atNs: fault.crashAtNs };
    }),
    nodes,
    dsm,
    tasks,
    channels: layOutChannels(file, image.channels, nodes),
    symbols,
  };
}

/** Every core's task address space, at the same address on every node; 4 KiB pages are copied on reference. */
function taskConfig(image: ImageFile): TaskConfig | undefined {
  if (!image.tasks) return undefined;
  return {
    base: TASK_BASE, bytes: image.tasks.sizeKiB * 1024, stackBytes: image.tasks.stackKiB * 1024, pageBytes: 4096,
    transport: image.tasks.transport,
  };
}

/** The DSM's layout: pages at least as large as every engine's mapping granularity. */
function dsmConfig(file: string, image: ImageFile): DsmConfig | undefined {
  if (!image.dsm) return undefined;
  const granularity = Math.max(...image.nodes.map((group) => ISAS[group.isa].pageBytes));
  const pageBytes = image.dsm.pageBytes ?? granularity;
  if (pageBytes < granularity || (pageBytes & (pageBytes - 1)) !== 0) {
    throw new ImageError(`${file}: dsm.pageBytes: ${pageBytes} must be a power of two of at least ${granularity} (the engines' mapping granularity)`);
  }
  const bytes = image.dsm.sizeMiB * 0x10_0000;
  if (bytes % pageBytes !== 0) throw new ImageError(`${file}: dsm.sizeMiB: not a whole number of ${pageBytes}-byte pages`);
  return { base: DSM_BASE, bytes, pageBytes, location: image.dsm.location };
}
