export { ImageError } from './image-error.js';
export { guestSymbols, loadImage, type LoadedImage, type LoadOptions } from './load.js';
export { checkHostLimits } from './host-limits.js';
