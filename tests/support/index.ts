// The guest test kit: what every suite and bench uses to write, boot and read guests.
export { flavourOf, guestWord, type LibFlavour, hex, isSparc, libSource, REPO_ROOT, RETURN_ZERO, syscall } from './guest-kit.js';
export { openEngine, runSteps } from './engine-kit.js';
export { TempDir, type NodeSpec } from './temp-dir.js';
export { bootCluster, coreOf, describeCores, expectCleanExit, imageErrorLine, runImage } from './run-image.js';
export { CLI, escapeRegExp, expectSingleErrorLine, outputLines, parseTextOutput, runCli, type CliResult } from './run-cli.js';
