import { readFileSync } from 'node:fs';
import {
  encoderFor, Linker, linkReport, loadToolchain, type Disassembler, type Intensity, type LinkReport,
} from '../../linker/index.js';
import { loadImage, type LoadedImage } from '../image/index.js';
import { RAM_BASE } from '../machine/index.js';
import { formatTable } from '../reports/index.js';
import { linkListing, listingDiff, RecordingLinkMemory } from './link-listing.js';
import { UsageError } from './usage-error.js';

export interface LinkCommandOptions {
  readonly bind: ReadonlyMap<string, Intensity>;
  readonly json: boolean;
  /** Print every byte the linker wrote (call sites, trampolines, stubs, table entries). */
  readonly listing: boolean;
  /** Compare that listing with a saved one: exit 1 with a diff when they differ. */
  readonly check?: string;
}

interface GroupReport {
  readonly nodes: readonly number[];
  readonly isa: string;
  readonly mediator: number;
  readonly table: number;
  readonly report: LinkReport;
  readonly listing: string;
}

/** `clustervm link`: links every node group as at boot, without running it, and prints the result. */
export async function linkCommand(imagePath: string, options: LinkCommandOptions): Promise<number> {
  const toolchain = await loadToolchain();
  const image = loadImage(imagePath, toolchain, { bind: options.bind });
  const groups = linkGroups(image, toolchain.disassembler);
  if (options.listing || options.check !== undefined) {
    const listing = `image ${image.name}\n${groups.map((g) => `\n== ${nodesOf(g)} (${g.isa})\n\n${g.listing}\n`).join('')}`;
    if (options.check === undefined) {
      process.stdout.write(listing);
      return 0;
    }
    return checkListing(options.check, listing);
  }
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ image: imagePath, groups: groups.map(({ listing: _, ...group }) => group) }, null, 2)}\n`);
  } else {
    process.stdout.write(`image ${image.name} (${imagePath})\n`);
    for (const group of groups) process.stdout.write(`\n${formatGroup(group)}\n`);
  }
  return 0;
}

/** Exit 0 when `listing` equals the saved file, else 1 with the differing lines. */
function checkListing(file: string, listing: string): number {
  let saved: string;
  try {
    saved = readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`--check: cannot read ${file}`);
  }
  if (saved === listing) {
    process.stdout.write(`link listing matches ${file}\n`);
    return 0;
  }
  const diff = listingDiff(saved, listing);
  process.stdout.write(`link listing differs from ${file} (- saved, + now; line numbers of each):\n${diff.join('\n')}\n`);
  return 1;
}

const nodesOf = (group: GroupReport) => (group.nodes.length === 1 ? `node ${group.nodes[0]}` : `nodes ${group.nodes.join(', ')}`);

function linkGroups(image: LoadedImage, disassembler: Disassembler): GroupReport[] {
  const groups: GroupReport[] = [];
  for (const node of image.nodes) {
    const existing = groups.find((group) => image.nodes[group.nodes[0]!]!.link === node.link);
    if (existing) {
      (existing.nodes as number[]).push(node.id);
      continue;
    }
    const memory = new RecordingLinkMemory(RAM_BASE, node.ramBytes);
    const linker = new Linker(node.link, memory);
    linker.boot();
    groups.push({
      nodes: [node.id], isa: node.isa, mediator: node.link.mediator.address, table: node.link.tableAddress,
      report: linkReport(linker, encoderFor(node.isa)), listing: linkListing(linker, memory, disassembler),
    });
  }
  return groups;
}

const hex = (value: number | undefined) => value === undefined ? '-' : `0x${value.toString(16)}`;

function formatGroup(group: GroupReport): string {
  const nodes = nodesOf(group);
  const modules = formatTable(
    ['module', 'file', 'address', 'bytes', 'state', 'links', 'exports'],
    group.report.modules.map((m) => [
      m.name, m.file, hex(m.address), String(m.bytes), m.loaded ? 'loaded' : m.library ? 'library' : 'unloaded',
      String(m.links), m.exports.join(' ') || '-',
    ]),
    new Set([3, 5]),
  );
  const symbols = group.report.symbols.length === 0 ? 'no module exports or imports a symbol' : formatTable(
    ['symbol', 'intensity', 'module', 'address', 'via', 'refs', 'alternatives'],
    group.report.symbols.map((s) => [
      s.symbol, s.open ? 'failsafe (open)' : s.intensity, s.provider ?? '(none)', hex(s.address), s.via,
      String(s.references), s.providers.length > 1 ? s.providers.join(' ') : '-',
    ]),
    new Set([5]),
  );
  return `${nodes} (${group.isa}): mediator ${hex(group.mediator)}, linkage table ${hex(group.table)}\n${modules}\n\n${symbols}`;
}
