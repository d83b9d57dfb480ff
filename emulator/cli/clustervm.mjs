#!/usr/bin/env node
// Entry point of the `clustervm` command: runs the TypeScript sources through tsx, so a
// fresh clone needs no build step after `npm ci`. `boot` runs the emulator in a child
// process under a supervisor that survives the engine. The supervisor is plain
// JavaScript until the engine crashes, so a plain run pays no second TypeScript load.
// A run that kept checkpoints is re-run from its last one.
import { exitLikeEmulator, isEngineCrash, runEmulator, superviseProcess, wantsSupervisor } from '../supervisor/emulator-process.mjs';

if (wantsSupervisor(process.argv)) {
  superviseProcess();
  let relayed = 0;
  const exit = await runEmulator({ argv: process.argv, visible: true, onRelayed: (bytes) => { relayed += bytes; } });
  if (isEngineCrash(exit)) {
    const { register } = await import('tsx/esm/api');
    register();
    const { recoverFromCrash } = await import('../supervisor/index.ts');
    const { resumeFromLastCheckpoint } = await import('./resume-argv.ts');
    process.exitCode = await recoverFromCrash(resumeFromLastCheckpoint(process.argv), exit, relayed);
  } else {
    process.exitCode = exitLikeEmulator(exit);
  }
} else {
  const { register } = await import('tsx/esm/api');
  register();
  const { main } = await import('./main.ts');
  process.exitCode = await main(process.argv);
}
