#!/usr/bin/env node
// Entry point of the `clustervm` command: runs the TypeScript sources through tsx, so a
// fresh clone needs no build step after `npm ci`. `boot` runs under a small supervisor
// process that loads none of the emulator; the emulator runs in its child.
import { register } from 'tsx/esm/api';

register();
const { superviseBoot, wantsSupervisor } = await import('../supervisor/index.ts');
if (wantsSupervisor(process.argv)) {
  process.exitCode = await superviseBoot(process.argv);
} else {
  const { main } = await import('./main.ts');
  process.exitCode = await main(process.argv);
}
