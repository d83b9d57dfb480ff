import {
  BufferLinkMemory, encoderFor, Linker, linkReport, loadToolchain, type Intensity, type LinkReport,
} from '../../linker/index.js';
import { loadImage, type LoadedImage } from '../image/index.js';
import { RAM_BASE } from '../machine/index.js';
import { formatTable } from '../reports/index.js';

export interface LinkCommandOptions {
  readonly bind: ReadonlyMap<string, Intensity>;
  readonly json: boolean;
}

interface GroupReport {
  readonly nodes: readonly number[];
  readonly isa: string;
  readonly mediator: number;
  readonly table: number;
  readonly report: LinkReport;
}

/** `clustervm link`: links every node group as at boot, without running it, and prints the result. */
export async function linkCommand(imagePath: string, options: LinkCommandOptions): Promise<number> {
  const image = loadImage(imagePath, await loadToolchain(), { bind: options.bind });
  const groups = linkGroups(image);
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ image: imagePath, groups }, null, 2)}\n`);
  } else {
    process.stdout.write(`image ${image.name} (${imagePath})\n`);
    for (const group of groups) process.stdout.write(`\n${formatGroup(group)}\n`);
  }
  return 0;
}

function linkGroups(image: LoadedImage): GroupReport[] {
  const groups: GroupReport[] = [];
  for (const node of image.nodes) {
    const existing = groups.find((group) => image.nodes[group.nodes[0]!]!.link === node.link);
    if (existing) {
      (existing.nodes as number[]).push(node.id);
      continue;
    }
    const linker = new Linker(node.link, new BufferLinkMemory(RAM_BASE, node.ramBytes));
    linker.boot();
    groups.push({
      nodes: [node.id], isa: node.isa, mediator: node.link.mediator.address, table: node.link.tableAddress,
      report: linkReport(linker, encoderFor(node.isa)),
    });
  }
  return groups;
}

const hex = (value: number | undefined) => value === undefined ? '-' : `0x${value.toString(16)}`;

function formatGroup(group: GroupReport): string {
  const nodes = group.nodes.length === 1 ? `node ${group.nodes[0]}` : `nodes ${group.nodes.join(', ')}`;
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
