// Fail-stop node failures through the real CLI, on the DSM bank (4 nodes of 4 ISAs):
// once the cluster notices a node down (a page or the commit token asked of it, a
// commit it does not acknowledge, its heartbeats, a checkpoint it cannot join), it
// goes back to the last checkpoint from before the failure, where the node rejoins.
// The run's output, counts and DSM tables are then those of a run without failures,
// and the checkpoints it writes are byte for byte the failure-free run's: every commit
// a checkpoint holds is kept. Without such a checkpoint the run stops with one line.
// The failure runs call the CLI in this process; the free run, the faults image and
// the runs that stop are real processes.
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectSingleErrorLine, runCli, TempDir, type CliResult } from '../support/index.js';
import { runCliInProcess } from '../support/run-cli-in-process.js';

const dir = new TempDir('clustervm-node-failure');
afterAll(() => dir.cleanup());

const BANK = 'images/c-bank.json';
const EVERY = '5000000';

let free: CliResult;
let freeCheckpoints: Map<string, Buffer>;

interface BankImage {
  interconnect: Record<string, unknown>;
  nodes: { programs: { source: string }[] }[];
}

/** images/c-bank.json with `faults`, to be written elsewhere: its sources named from the repository. */
function bankWithFaults(faults: unknown): string {
  const image = JSON.parse(readFileSync(BANK, 'utf8')) as BankImage;
  image.interconnect.faults = faults;
  for (const node of image.nodes) for (const program of node.programs) program.source = resolve('images', program.source);
  return JSON.stringify(image);
}

function checkpointsIn(path: string): Map<string, Buffer> {
  return new Map(readdirSync(path).sort().map((file) => [file, readFileSync(`${path}/${file}`)]));
}

beforeAll(async () => {
  free = await runCli(['boot', BANK, '--checkpoint-every', EVERY, '--checkpoint-dir', dir.join('free')]);
  expect(free.code).toBe(0);
  expect(free.stdout).toContain('total 16000 of 16000');
  freeCheckpoints = checkpointsIn(dir.join('free'));
  expect(freeCheckpoints.size).toBeGreaterThan(4);
});

describe('node failures on images/c-bank.json', () => {
  it.each([
    { crash: '1@7000000' },
    { crash: '3@12000000' },
    { crash: '2@19500000' },
  ])('--crash $crash: back to the last checkpoint before it; output, counts and checkpoints of the free run', async ({ crash }) => {
    const name = crash.replace('@', '-at-');
    const result = await runCliInProcess(['boot', BANK, '--checkpoint-every', EVERY, '--checkpoint-dir', dir.join(name), '--crash', crash]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(free.stdout);
    const [node, atNs] = crash.split('@').map(Number) as [number, number];
    const report = /^clustervm: node (\d+) failed \(fail-stop at (\d+) ns\); noticed at (\d+) ns: (.+); the cluster went back to (ckpt-\d{4}\.cvmsnap) \((\d+) ns\), where node \d+ rejoins: (\d+) ns of virtual time run again\n$/
      .exec(result.stderr);
    expect(report, result.stderr).not.toBeNull();
    const [, failed, crashNs, noticedNs, how, checkpoint, checkpointNs, again] = report!;
    expect([Number(failed), Number(crashNs)]).toEqual([node, atNs]);
    expect(Number(noticedNs)).toBeGreaterThan(atNs);
    expect(how).toMatch(/asked it for|commit broadcast|heartbeats|checkpoint due/);
    // The last checkpoint at or before the failure, and none after it was used.
    expect(Number(checkpointNs)).toBeLessThanOrEqual(atNs);
    expect(Number(checkpointNs)).toBeGreaterThan(atNs - 2 * Number(EVERY));
    expect(Number(again)).toBe(Number(noticedNs) - Number(checkpointNs));
    expect(freeCheckpoints.has(checkpoint!)).toBe(true);
    expect(checkpointsIn(dir.join(name))).toEqual(freeCheckpoints);
  });

  it('the image\'s interconnect.faults does the same, and --json lists the failure', async () => {
    const [viaImage, freeJson] = await Promise.all([
      runCli(['boot', dir.file('bank-faults.json', bankWithFaults([{ node: 1, crashAtNs: 7000000 }])), '--json', '--checkpoint-every', EVERY, '--checkpoint-dir', dir.join('faults')]),
      runCli(['boot', BANK, '--json']),
    ]);
    expect(viaImage.code).toBe(0);
    expect(viaImage.stderr).toBe('');
    const summary = JSON.parse(viaImage.stdout) as { failures: string[]; console: string[]; cores: unknown; dsm: unknown };
    const expected = JSON.parse(freeJson.stdout) as { console: string[]; cores: unknown; dsm: unknown };
    expect(summary.failures).toEqual([expect.stringMatching(/^node 1 failed \(fail-stop at 7000000 ns\); noticed at \d+ ns: .*went back to ckpt-\d{4}\.cvmsnap/)]);
    expect({ console: summary.console, cores: summary.cores, dsm: summary.dsm }).toEqual({ console: expected.console, cores: expected.cores, dsm: expected.dsm });
  });

  it('a failure before the first checkpoint, or with none kept, stops the run with one line and exit 1', async () => {
    const [early, none] = await Promise.all([
      runCli(['boot', BANK, '--checkpoint-every', EVERY, '--checkpoint-dir', dir.join('early'), '--crash', '2@1000000']),
      runCli(['boot', BANK, '--crash', '0@3000000']),
    ]);
    expect(early.code).toBe(1);
    expect(early.stderr).toMatch(/^clustervm: node 2 failed \(fail-stop at 1000000 ns\); noticed at \d+ ns: .+; no checkpoint from before it to go back to \(the first is due at 5000000 ns\)\n$/);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/^clustervm: node 0 failed \(fail-stop at 3000000 ns\); noticed at \d+ ns: .+; no checkpoint from before it to go back to: boot --checkpoint-every NS --checkpoint-dir DIR keeps them\n$/);
  });

  it('refuses a failure of a node the image does not have, a malformed --crash and an image fault naming no node', async () => {
    const [missing, malformed, badImage] = await Promise.all([
      runCliInProcess(['boot', BANK, '--crash', '4@100']),
      runCliInProcess(['boot', BANK, '--crash', 'one@100']),
      runCliInProcess(['boot', dir.file('bad-faults.json', bankWithFaults([{ node: 7, crashAtNs: 5 }]))]),
    ]);
    expect(expectSingleErrorLine(missing)).toBe('clustervm: --crash 4@100: the image has 4 nodes (0-3)');
    expect(expectSingleErrorLine(malformed)).toMatch(/^clustervm: --crash one@100: expected NODE@NS/);
    expect(expectSingleErrorLine(badImage)).toMatch(/bad-faults\.json: interconnect\.faults\[0\]\.node: names node 7, but the image has 4 nodes$/);
  });
});
