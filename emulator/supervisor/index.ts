export { crashHookFromEnvironment } from './crash-hook.js';
export { recoverFromCrash } from './supervisor.js';
