// A ring write's virtual time is the storing instruction's, whatever the engine's
// translation history: Unicorn's SPARC pc in a memory hook is stale (its block's start,
// or an earlier block's address), so the hook finds the store by its effective address.
// A run whose SPARC core is stepped instruction by instruction for a while (one-
// instruction blocks, where the pc is exact) reports every channel's latencies exactly
// as the free run does (before the search it did not); tests/snapshot/restore.test.ts
// checks a run restored into fresh engines.
import { describe, expect, it } from 'vitest';
import { bootImage, type Cluster } from '../../emulator/index.js';
import { DebugSession } from '../../emulator/debugger/index.js';

const IMAGE = 'images/c-ping-pong.json';

async function boot(): Promise<Cluster> {
  return bootImage(IMAGE, { maxInstructions: 50_000_000, console: () => {} });
}

function latencies(cluster: Cluster): unknown {
  return cluster.kernel.channels!.report().map((channel) => channel.stats);
}

describe('ring write times on SPARC', () => {
  it('are the same when the SPARC core is stepped one instruction at a time as in the free run', async () => {
    const free = await boot();
    free.run({ quantum: 1000 });
    const expected = latencies(free);
    free.close();

    const stepped = await boot();
    const session = new DebugSession(stepped, 1000);
    // Through its first 3 messages: the ring writes of those blocks are seen with an exact pc.
    expect(session.stepInOrder({ node: 1, core: 0 }, 3000).kind).toBe('step');
    while (session.continueFor(1000) === undefined);
    expect(latencies(stepped)).toEqual(expected);
    stepped.close();
  });
});
