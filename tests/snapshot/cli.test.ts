// Checkpoints through the real CLI: `boot --checkpoint-every NS --checkpoint-dir DIR`
// writes snapshots as the run goes; `restore FILE` finishes the run from one of them
// with the console lines (from that point), the summary and the trace of the
// uninterrupted run. Every file that is not a usable snapshot gets one clear line.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSnapshotFile, SnapshotError } from '../../emulator/snapshot/index.js';
import { expectSingleErrorLine, outputLines, runCli, TempDir } from '../support/index.js';

const dir = new TempDir('clustervm-snapshot-cli');
afterAll(() => dir.cleanup());

interface Summary {
  readonly cores: unknown[];
  readonly total: unknown;
  readonly console: string[];
}

/** The summary without the console, which a restore prints only from its snapshot on. */
function counts(summary: Summary): unknown {
  return { cores: summary.cores, total: summary.total };
}

describe.each([
  { image: 'images/dsm-counter.json', everyNs: '10000000' },
])('clustervm restore of $image', ({ image, everyNs }) => {
  it('resumes the first and the last checkpoint with the free run\'s later output, counts and trace', async () => {
    const name = image.replace(/\W/g, '-');
    const checkpoints = dir.join(`${name}-ckpt`);
    const freeTrace = dir.join(`${name}-free.trace`);
    const free = await runCli(['boot', image, '--json', '--trace', freeTrace, '--checkpoint-every', everyNs, '--checkpoint-dir', checkpoints]);
    expect(free.stderr).toBe('');
    expect(free.code).toBe(0);
    const freeSummary = JSON.parse(free.stdout) as Summary;
    const freeTraceLines = outputLines(readFileSync(freeTrace, 'utf8'));
    const files = readdirSync(checkpoints).sort();
    expect(files.length).toBeGreaterThanOrEqual(2);
    expect(files.every((file) => /^ckpt-\d{4}\.cvmsnap$/.test(file))).toBe(true);
    for (const file of [files[0]!, files.at(-1)!]) {
      const trace = dir.join(`${name}-${file}.trace`);
      const restored = await runCli(['restore', `${checkpoints}/${file}`, '--json', '--trace', trace]);
      expect(restored.stderr, file).toBe('');
      expect(restored.code, file).toBe(0);
      const summary = JSON.parse(restored.stdout) as Summary;
      expect(counts(summary), file).toEqual(counts(freeSummary));
      expect(summary.console.length, file).toBeLessThanOrEqual(freeSummary.console.length);
      expect(summary.console, file).toEqual(freeSummary.console.slice(freeSummary.console.length - summary.console.length));
      const traceLines = outputLines(readFileSync(trace, 'utf8'));
      expect(traceLines.length, file).toBeGreaterThan(0);
      expect(traceLines.length, file).toBeLessThan(freeTraceLines.length);
      expect(traceLines.join('\n') === freeTraceLines.slice(freeTraceLines.length - traceLines.length).join('\n'), file).toBe(true);
    }
  });
});

describe('snapshots that cannot be used', () => {
  it('refuses a truncated, corrupted, foreign, missing or other-build snapshot with one line each', async () => {
    const image = dir.writeImage('counter', { nodes: [{ isa: 'x86-32', cores: 2, programs: [{ source: 'main:\n mov ecx, 200000\nagain:\n dec ecx\n jnz again\n xor eax, eax\n ret\n' }] }] });
    const checkpoints = dir.join('errors-ckpt');
    const boot = await runCli(['boot', image, '--checkpoint-every', '20000', '--checkpoint-dir', checkpoints]);
    expect(boot.code).toBe(0);
    const good = `${checkpoints}/ckpt-0001.cvmsnap`;
    const bytes = readFileSync(good);
    const truncated = dir.file('truncated.cvmsnap', '');
    writeFileSync(truncated, bytes.subarray(0, bytes.length - 100));
    const corrupted = dir.file('corrupted.cvmsnap', '');
    const flipped = Buffer.from(bytes);
    flipped[flipped.length - 10]! ^= 0xff;
    writeFileSync(corrupted, flipped);
    const foreign = dir.file('foreign.cvmsnap', '{"not": "a snapshot"}\n');
    const newer = dir.file('newer.cvmsnap', '');
    const bumped = Buffer.from(bytes);
    bumped.writeUInt32LE(99, 8);
    writeFileSync(newer, bumped);
    // Through the command once; the reader's other refusals in-process (a process each is slow).
    expect(expectSingleErrorLine(await runCli(['restore', corrupted]))).toMatch(/corrupted\.cvmsnap: checksum mismatch: the snapshot is corrupted$/);
    const refusal = (file: string) => {
      try {
        loadSnapshotFile(file);
      } catch (error) {
        if (error instanceof SnapshotError) return error.message;
        throw error;
      }
      return 'loaded';
    };
    expect(refusal(truncated)).toMatch(/truncated\.cvmsnap: truncated or padded: the header promises \d+ bytes of state, the file holds \d+$/);
    expect(refusal(foreign)).toMatch(/foreign\.cvmsnap: not a clustervm snapshot$/);
    expect(refusal(newer)).toMatch(/newer\.cvmsnap: snapshot format 99; this clustervm reads format 1$/);
    expect(refusal(dir.join('missing.cvmsnap'))).toMatch(/missing\.cvmsnap: cannot read the snapshot \(no such file\)$/);
    // The image's program changes: the snapshot is of another build.
    const program = (JSON.parse(readFileSync(image, 'utf8')) as { nodes: { programs: { source: string }[] }[] }).nodes[0]!.programs[0]!.source;
    writeFileSync(program, readFileSync(program, 'utf8').replace('200000', '300000'));
    expect(expectSingleErrorLine(await runCli(['restore', good]))).toMatch(/ckpt-0001\.cvmsnap: taken of another build of .*counter-\d+\.json .*its image or sources changed$/);
  });

  it('asks for both options, and a positive interval', async () => {
    expect(expectSingleErrorLine(await runCli(['boot', 'images/hello-x86.json', '--checkpoint-every', '1000'])))
      .toBe('clustervm: --checkpoint-every: needs --checkpoint-dir DIR');
    expect(expectSingleErrorLine(await runCli(['boot', 'images/hello-x86.json', '--checkpoint-every', '0', '--checkpoint-dir', 'x'])))
      .toBe("clustervm: --checkpoint-every: expected a positive integer, got '0'");
  });
});
