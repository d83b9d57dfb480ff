export * from './constants.js';
export { Engine, EngineContext, type HookHandle, type RunResult } from './engine.js';
export { UnicornError } from './errors.js';
export { ENGINE_ISAS } from './isa.js';
export { UnicornMissingError, unicornVersion } from './native.js';
export { FastPathMissingError } from './fast-path.js';
export { hookCallbacksInUse } from './hook-dispatch.js';
export {
  ENGINE_ADDRESS_SPACE_BYTES, HOOK_CALLBACKS, MAX_ENGINES, enginesThisProcessCanOpen,
} from './limits.js';
