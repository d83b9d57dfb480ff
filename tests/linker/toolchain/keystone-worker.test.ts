// Issue 10, item 11: keystone runs in a worker thread behind a synchronous call with a
// time bound. These feed keystone, unchecked, sources that really trap or hang it
// (no mock): the call fails with KeystoneFailure, the host goes on, and the next call
// gets a fresh keystone.
import { afterEach, describe, expect, it } from 'vitest';
import { KeystoneFailure, KeystoneWorker } from '../../../linker/index.js';
import { readFixture } from './support.js';

const workers: KeystoneWorker[] = [];
afterEach(() => workers.splice(0).forEach((worker) => worker.stop()));

async function worker(timeoutMs: number): Promise<KeystoneWorker> {
  const started = new KeystoneWorker({ timeoutMs, startupMs: 60_000, heapMiB: 256 });
  workers.push(started);
  await started.start();
  return started;
}

function failure(run: () => unknown): KeystoneFailure {
  try {
    run();
  } catch (error) {
    if (error instanceof KeystoneFailure) return error;
    throw error;
  }
  throw new Error('keystone finished');
}

describe('keystone in a worker thread', () => {
  it('a source keystone loops forever on (the SPARC label %g1:) ends in a timeout, then keystone works again', async () => {
    const keystone = await worker(2_000);
    const hang = failure(() => keystone.assemble('sparc32', readFixture('hostile/sparc32.register-label.s'), 0x110000));
    expect(hang.message).toBe('keystone did not finish within 2 s');
    const next = keystone.assemble('sparc32', 'nop', 0x110000);
    expect({ failed: next.failed, bytes: Array.from(next.bytes) }).toEqual({ failed: false, bytes: [1, 0, 0, 0] });
  }, 120_000);

  it('a source over keystone\'s stack (80 KB) traps WebAssembly: a KeystoneFailure, then keystone works again', async () => {
    const keystone = await worker(60_000);
    const trap = failure(() => keystone.assemble('x86-32', 'nop\n'.repeat(80 * 256), 0x110000));
    expect(trap.message).toMatch(/^keystone failed \(.*(out of bounds|table index).*\)$/);
    const next = keystone.assemble('x86-32', 'nop', 0x110000);
    expect({ failed: next.failed, bytes: Array.from(next.bytes) }).toEqual({ failed: false, bytes: [0x90] });
  }, 120_000);

  it('keystone\'s own error text comes back as the reason, with nothing printed', async () => {
    const keystone = await worker(60_000);
    const result = keystone.assemble('x86-64', 'mov eax, [rax + rbx + rcx]', 0x110000);
    expect(result).toMatchObject({ failed: true, reason: 'Invalid operand (KS_ERR_ASM_INVALIDOPERAND)' });
  });
});
