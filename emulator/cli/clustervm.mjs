#!/usr/bin/env node
// Entry point of the `clustervm` command: runs the TypeScript sources through tsx, so a
// fresh clone needs no build step after `npm ci`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv);
