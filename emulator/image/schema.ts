import { z } from 'zod';
import { ISA_NAMES } from '../../linker/index.js';
import { MAX_CORES_PER_NODE } from '../machine/layout.js';

// The cluster image format (README, "Image format"). Unknown fields are errors, so a
// misspelt field never silently falls back to a default.

const coreIndex = z.number().int().nonnegative();

const ProgramSchema = z.strictObject({
  source: z.string().min(1),
  entry: z.string().min(1).default('main'),
  cores: z.union([z.literal('all'), z.array(coreIndex).min(1)]).default('all'),
});

const NodeGroupSchema = z.strictObject({
  count: z.number().int().min(1).max(256).default(1),
  isa: z.enum(ISA_NAMES),
  cores: z.number().int().min(1).max(MAX_CORES_PER_NODE),
  ramMiB: z.number().int().min(2).max(1024).default(4),
  programs: z.array(ProgramSchema).min(1),
});

const LinkSchema = z.strictObject({
  from: coreIndex,
  to: coreIndex,
  latencyNs: z.number().nonnegative(),
  bandwidthMbps: z.number().positive(),
});

const InterconnectSchema = z.strictObject({
  latencyNs: z.number().nonnegative().default(2_500_000),
  bandwidthMbps: z.number().positive().default(100),
  links: z.array(LinkSchema).default([]),
});

export const ImageSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  clockHz: z.number().int().positive().default(1_000_000_000),
  interconnect: InterconnectSchema.default({ latencyNs: 2_500_000, bandwidthMbps: 100, links: [] }),
  nodes: z.array(NodeGroupSchema).min(1),
});

export type ImageFile = z.infer<typeof ImageSchema>;
export type NodeGroup = z.infer<typeof NodeGroupSchema>;
export type ProgramSpec = z.infer<typeof ProgramSchema>;
