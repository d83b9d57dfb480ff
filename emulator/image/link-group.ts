import { basename, resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import {
  AssemblyError, buildMediator, CCompileError, compileC, compileCModule, compileModule, C_RUNTIME_DIR, ElfError, LinkError,
  ModuleSourceError, RelocationRangeError, UnknownRelocationError, type BindingSpec, type CompiledModule, type Intensity, type LinkPlan,
} from '../../linker/index.js';
import { LINK_AREA, LINK_AREA_BYTES, LINK_TABLE, LINK_TABLE_ENTRIES, PROGRAM_BASE, stacksBottom, USER_DATA } from '../machine/index.js';
import type { Toolchain } from '../../linker/index.js';
import { ImageError } from './image-error.js';
import { MAX_SOURCE_BYTES, readBounded } from './read-bounded.js';
import type { BindingEntry, NodeGroup } from './schema.js';

const MODULE_ALIGN = 64;

export interface LinkedGroup {
  readonly plan: LinkPlan;
  /** Program entry per core; undefined leaves the core idle. */
  readonly entries: (number | undefined)[];
}

interface GroupContext {
  readonly file: string;
  readonly baseDir: string;
  readonly field: string;
  readonly toolchain: Toolchain;
  readonly symbols: ReadonlyMap<string, number>;
  /** `--bind` choices, which override the image's intensities. */
  readonly overrides: ReadonlyMap<string, Intensity>;
}

/** Compiles a node group's programs and modules and plans how the linker binds them. */
export function linkGroup(group: NodeGroup, context: GroupContext): LinkedGroup {
  const modules: CompiledModule[] = [];
  const entries: (number | undefined)[] = new Array<number | undefined>(group.cores).fill(undefined);
  let address = PROGRAM_BASE;
  // C modules' writable data goes below the stacks, downwards: the code region is read-only.
  let dataTop = stacksBottom(group.ramMiB * 0x10_0000, group.cores);
  const place = (name: string, field: string, source: string, library: boolean) => {
    if (modules.some((m) => m.name === name)) {
      throw new ImageError(`${context.file}: ${field}: a module named '${name}' already exists in this node group`);
    }
    const module = isObjectSource(source)
      ? compileObjects(context, group, field, name, source, address, dataTop, library)
      : compile(context, group, field, name, source, address, library);
    if (module.data) {
      dataTop = module.data.address;
      if (dataTop < USER_DATA) {
        throw new ImageError(`${context.file}: ${field}.source: the C modules' data does not fit in the node's RAM below its stacks (raise ramMiB)`);
      }
    }
    if (module.address + module.bytes.length > LINK_AREA) {
      throw new ImageError(`${context.file}: ${field}.source: programs and modules exceed the ${(LINK_AREA - PROGRAM_BASE) >> 10} KiB code region`);
    }
    modules.push(module);
    address = Math.ceil((address + module.bytes.length) / MODULE_ALIGN) * MODULE_ALIGN;
    return module;
  };

  group.programs.forEach((program, index) => {
    const field = `${context.field}.programs[${index}]`;
    const module = place(program.name ?? defaultProgramName(program.source, index, modules), field, program.source, false);
    const entry = module.labels.get(program.entry);
    if (entry === undefined) {
      throw new ImageError(`${context.file}: ${field}.entry: label '${program.entry}' is not defined in ${program.source}`);
    }
    const cores = program.cores === 'all' ? [...entries.keys()] : program.cores;
    for (const core of cores) {
      if (core >= group.cores) {
        throw new ImageError(`${context.file}: ${field}.cores: core ${core} does not exist (the node has ${group.cores} cores)`);
      }
      if (entries[core] !== undefined) {
        throw new ImageError(`${context.file}: ${field}.cores: core ${core} already runs another program`);
      }
      entries[core] = entry;
    }
  });
  group.modules.forEach((spec, index) => place(spec.name, `${context.field}.modules[${index}]`, spec.source, spec.library));

  const mediator = assembleMediator(context, group.isa);
  const areaStart = LINK_AREA + Math.ceil(mediator.bytes.length / MODULE_ALIGN) * MODULE_ALIGN;
  const plan: LinkPlan = {
    isa: group.isa,
    modules,
    bindings: bindings(group, modules, context),
    mediator,
    area: { address: areaStart, length: LINK_AREA + LINK_AREA_BYTES - areaStart },
    tableAddress: LINK_TABLE,
    tableEntries: LINK_TABLE_ENTRIES,
    trampolineForm: group.trampolines,
  };
  checkPolicies(group, modules, context);
  return { plan, entries };
}

/**
 * The node group's mediator, assembled from the linker's own source: a failure there is
 * the toolchain's (keystone gone, out of time), told in one line, not the image's.
 */
function assembleMediator(context: GroupContext, isa: NodeGroup['isa']): LinkPlan['mediator'] {
  try {
    return buildMediator(context.toolchain.assembler, isa, LINK_AREA, LINK_TABLE);
  } catch (error) {
    if (error instanceof AssemblyError) throw new ImageError(`${context.file}: cannot assemble the ${isa} mediator: ${error.message}`);
    throw error;
  }
}

/** The file's name without extension; the same file loaded twice gets its index appended. */
function defaultProgramName(source: string, index: number, placed: readonly CompiledModule[]): string {
  const name = basename(source).replace(/\.[^.]*$/, '');
  return placed.some((m) => m.name === name) ? `${name}-${index}` : name;
}

function compile(context: GroupContext, group: NodeGroup, field: string, name: string, source: string,
                 address: number, library: boolean): CompiledModule {
  // Named as the image names it, wherever the command runs: the author finds it there.
  const read = readBounded(resolve(context.baseDir, source), MAX_SOURCE_BYTES);
  if (read.kind === 'error') throw new ImageError(`${context.file}: ${field}.source: cannot read ${source}`);
  if (read.kind === 'too-large') {
    throw new ImageError(`${context.file}: ${field}.source: ${source} is larger than ${MAX_SOURCE_BYTES >> 20} MiB`);
  }
  const text = read.text;
  try {
    return compileModule(group.isa, { name, file: source, text, address, library },
      context.toolchain.assembler, context.toolchain.disassembler, context.symbols);
  } catch (error) {
    if (error instanceof AssemblyError) throw new ImageError(error.message);
    if (error instanceof LinkError || error instanceof ModuleSourceError) {
      throw new ImageError(`${context.file}: ${field}.source: ${error.message}`);
    }
    throw error;
  }
}

/** C sources and ELF objects are linked from objects; everything else is keystone assembly. */
function isObjectSource(source: string): boolean {
  return source.endsWith('.c') || source.endsWith('.o');
}

function compileObjects(context: GroupContext, group: NodeGroup, field: string, name: string, source: string,
                        address: number, dataTop: number, library: boolean): CompiledModule {
  try {
    const object = source.endsWith('.c')
      ? compileC(group.isa, context.baseDir, source)
      : { path: resolve(context.baseDir, source), bytes: readFileSync(resolve(context.baseDir, source)) };
    const runtime = compileC(group.isa, C_RUNTIME_DIR, 'runtime.c');
    return compileCModule(group.isa, {
      name, file: source, address, dataTop, library,
      objects: [{ file: source, ...object, exports: true }, { file: 'images/lib/c/runtime.c', ...runtime, exports: false }],
    }, context.toolchain.disassembler);
  } catch (error) {
    if (error instanceof CCompileError || error instanceof ElfError || error instanceof LinkError
      || error instanceof RelocationRangeError || error instanceof UnknownRelocationError) {
      throw new ImageError(`${context.file}: ${field}.source: ${error.message}`);
    }
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') {
      throw new ImageError(`${context.file}: ${field}.source: cannot read ${source}`);
    }
    throw error;
  }
}

function exporters(modules: readonly CompiledModule[], symbol: string): CompiledModule[] {
  return modules.filter((m) => m.exports.has(symbol));
}

function bindings(group: NodeGroup, modules: readonly CompiledModule[], context: GroupContext): Map<string, BindingSpec> {
  const result = new Map<string, BindingSpec>();
  const names = new Set(modules.map((m) => m.name));
  for (const [symbol, entry] of group.bindings) {
    const field = `${context.field}.bindings.${symbol}`;
    const spec: BindingSpec = typeof entry === 'string' ? { intensity: entry } : bindingSpec(entry);
    if (exporters(modules, symbol).length === 0) {
      throw new ImageError(`${context.file}: ${field}: no module of this node group exports ${symbol} (.globl ${symbol})`);
    }
    if (spec.use !== undefined && !exporters(modules, symbol).some((m) => m.name === spec.use)) {
      throw new ImageError(`${context.file}: ${field}.use: module '${spec.use}' does not export ${symbol}`);
    }
    for (const caller of spec.deny ?? []) {
      if (!names.has(caller)) throw new ImageError(`${context.file}: ${field}.deny: no module named '${caller}'`);
    }
    if (spec.deny?.length && spec.intensity !== 'weak') {
      throw new ImageError(`${context.file}: ${field}.deny: only the mediator can refuse calls; bind ${symbol} weak`);
    }
    result.set(symbol, spec);
  }
  for (const [symbol, intensity] of context.overrides) {
    if (exporters(modules, symbol).length === 0) continue;
    result.set(symbol, { ...result.get(symbol), intensity });
  }
  return result;
}

function bindingSpec(entry: Exclude<BindingEntry, string>): BindingSpec {
  return {
    intensity: entry.intensity,
    ...(entry.use !== undefined ? { use: entry.use } : {}),
    ...(entry.resolved !== undefined ? { resolved: entry.resolved } : {}),
    ...(entry.deny !== undefined ? { deny: entry.deny } : {}),
    ...(entry.trampoline !== undefined ? { trampoline: entry.trampoline } : {}),
  };
}

function checkPolicies(group: NodeGroup, modules: readonly CompiledModule[], context: GroupContext): void {
  // Two policies for one symbol would re-link it against each other forever.
  const policyOf = new Map<string, number>();
  group.policies.forEach((policy, index) => {
    const field = `${context.field}.policies[${index}]`;
    const earlier = policyOf.get(policy.symbol);
    if (earlier !== undefined) {
      throw new ImageError(`${context.file}: ${field}.symbol: ${policy.symbol} already has a policy (policies[${earlier}]); one policy per symbol`);
    }
    policyOf.set(policy.symbol, index);
    for (const key of ['busy', 'idle'] as const) {
      if (!exporters(modules, policy.symbol).some((m) => m.name === policy[key])) {
        throw new ImageError(`${context.file}: ${field}.${key}: module '${policy[key]}' does not export ${policy.symbol}`);
      }
    }
  });
}
