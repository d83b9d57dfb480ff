export { ImageError } from './image-error.js';
export { guestSymbols, loadImage, type LoadedImage, type LoadOptions } from './load.js';
export {
  CALLBACKS_PER_CORE, CALLBACKS_PER_DSM_CORE, CALLBACKS_PER_RECEIVED_CHANNEL, CALLBACKS_PER_TRACED_CORE, checkHostLimits,
  KOFFI_MAX_CALLBACKS, MAX_DSM_COPY_BYTES, MAX_ENGINES, MAX_NODE_RAM_BYTES, type HostLimitOptions,
} from './host-limits.js';
