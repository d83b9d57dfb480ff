export { ImageError } from './image-error.js';
export { guestSymbols, loadImage, type LoadedImage, type LoadOptions } from './load.js';
export { checkHostLimits, MAX_DSM_COPY_BYTES, MAX_NODE_RAM_BYTES } from './host-limits.js';
