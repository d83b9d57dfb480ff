export { crashHookFromEnvironment } from './crash-hook.js';
export { superviseBoot, wantsSupervisor } from './supervisor.js';
