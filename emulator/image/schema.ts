import { z } from 'zod';
import { INTENSITIES } from '../../linker/index.js';
import { ISA_NAMES } from '../../isa/index.js';
import { MAX_CORES_PER_NODE, MIN_RAM_BYTES } from '../machine/index.js';
import { strictFields, stringOr, symbolRecord } from './schema-parts.js';

// The cluster image format (README, "Image format"). Unknown fields are errors, so a
// misspelt field never silently falls back to a default.

const coreIndex = z.number().int().nonnegative();

const moduleName = z.string().regex(/^[A-Za-z_][\w.-]*$/, 'a module name is letters, digits, _ . -');
const symbolName = z.string().regex(/^[A-Za-z_.$][\w.$]*$/, 'not a symbol name');

const ProgramSchema = strictFields({
  name: moduleName.optional(),
  source: z.string().min(1),
  entry: z.string().min(1).default('main'),
  /** [] links the program without starting it: its routines are there for rspawn and rfork. */
  cores: z.union([z.literal('all'), z.array(coreIndex)]).default('all'),
});

const ModuleSchema = strictFields({
  name: moduleName,
  source: z.string().min(1),
  /** Kept in the module library: linked by fail-safe on first call, not at boot. */
  library: z.boolean().default(false),
});

const IntensitySchema = z.enum(INTENSITIES, {
  error: (issue) => `unknown intensity ${JSON.stringify(issue.input)}: use ${INTENSITIES.join(', ')}`,
});
/** What a fail-safe binding becomes once linked: any intensity but fail-safe (`ResolvedIntensity`). */
const ResolvedIntensitySchema = z.enum(INTENSITIES).exclude(['failsafe']);
const TrampolineFormSchema = z.enum(['shortest', 'paper']);

const BindingSchema = stringOr(
  IntensitySchema,
  strictFields({
    intensity: IntensitySchema,
    use: moduleName.optional(),
    resolved: ResolvedIntensitySchema.optional(),
    deny: z.array(moduleName).optional(),
    trampoline: TrampolineFormSchema.optional(),
  }),
);

const PolicySchema = strictFields({
  symbol: symbolName,
  /** Alternative while the node's cores are busy. */
  busy: moduleName,
  /** Alternative once at least half of the node's cores are idle. */
  idle: moduleName,
  /** Switch only after the mediator counted this many calls since the last switch. */
  minCalls: z.number().int().nonnegative().default(0),
});

const NodeGroupSchema = strictFields({
  count: z.number().int().min(1).max(256).default(1),
  isa: z.enum(ISA_NAMES),
  cores: z.number().int().min(1).max(MAX_CORES_PER_NODE),
  ramMiB: z.number().int().min(MIN_RAM_BYTES / 0x10_0000).max(1024).default(4),
  programs: z.array(ProgramSchema).min(1),
  modules: z.array(ModuleSchema).default([]),
  bindings: symbolRecord(symbolName, BindingSchema),
  trampolines: TrampolineFormSchema.default('shortest'),
  policies: z.array(PolicySchema).default([]),
});

const LinkSchema = strictFields({
  from: coreIndex,
  to: coreIndex,
  latencyNs: z.number().nonnegative(),
  bandwidthMbps: z.number().positive(),
});

const DropSchema = strictFields({
  /** Which message: the nth (from 1) commit broadcast from `from` (any node when omitted) to `to`. */
  kind: z.literal('commit'),
  from: coreIndex.optional(),
  to: coreIndex,
  nth: z.number().int().min(1).default(1),
});

const FaultSchema = strictFields({
  /** The node fails (fail-stop) once virtual time reaches `crashAtNs`. */
  node: coreIndex,
  crashAtNs: z.number().int().positive(),
});

const InterconnectSchema = strictFields({
  latencyNs: z.number().nonnegative().default(2_500_000),
  bandwidthMbps: z.number().positive().default(100),
  links: z.array(LinkSchema).default([]),
  drop: z.array(DropSchema).default([]),
  faults: z.array(FaultSchema).default([]),
});

const EndpointSchema = z.tuple([coreIndex, coreIndex]);

const ChannelSchema = strictFields({
  /** [node, core] of the sender and of the receiver. */
  from: EndpointSchema,
  to: EndpointSchema,
  slots: z.number().int().min(1).max(256).refine((n) => (n & (n - 1)) === 0, 'a power of two').default(16),
  window: z.number().int().min(1).max(256).default(8),
});

const DsmSchema = strictFields({
  sizeMiB: z.number().int().min(1).max(256).default(4),
  /** Default: the largest mapping granularity of the image's engines (8 KiB with sparc64). */
  pageBytes: z.number().int().positive().optional(),
  location: z.enum(['broadcast', 'directory']).default('broadcast'),
});

const TasksSchema = strictFields({
  /** Each core's task address space. */
  sizeKiB: z.number().int().min(16).max(65_536).refine((n) => n % 8 === 0, 'a multiple of 8 KiB').default(1024),
  stackKiB: z.number().int().min(4).max(1024).refine((n) => n % 8 === 0, 'a multiple of 8 KiB').default(64),
  transport: z.enum(['window', 'stop-and-wait']).default('window'),
});

export const ImageSchema = strictFields({
  name: z.string().min(1),
  description: z.string().optional(),
  clockHz: z.number().int().positive().default(1_000_000_000),
  interconnect: InterconnectSchema.default({ latencyNs: 2_500_000, bandwidthMbps: 100, links: [], drop: [], faults: [] }),
  dsm: DsmSchema.optional(),
  channels: z.array(ChannelSchema).default([]),
  tasks: TasksSchema.optional(),
  nodes: z.array(NodeGroupSchema).min(1),
});

export type ImageFile = z.infer<typeof ImageSchema>;
export type NodeGroup = z.infer<typeof NodeGroupSchema>;
export type BindingEntry = z.infer<typeof BindingSchema>;
export type DropSpec = z.infer<typeof DropSchema>;
export type ChannelEntry = z.infer<typeof ChannelSchema>;
