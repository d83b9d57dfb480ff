export * from './constants.js';
export { Engine, EngineContext, type HookHandle, type RunOptions, type RunResult } from './engine.js';
export { UnicornError } from './errors.js';
export { ENGINE_ISAS, type EngineIsa } from './isa.js';
export { UnicornMissingError, unicornVersion } from './native.js';
export { SPARC32_WINDOW_DEPTH } from './sparc-window-mask.js';
export { hookCallbacksInUse } from './hook-dispatch.js';
export {
  ENGINE_ADDRESS_SPACE_BYTES, ENGINE_RESIDENT_BYTES, HOOK_CALLBACKS, MAX_ENGINES, enginesThisProcessCanOpen,
} from './limits.js';
