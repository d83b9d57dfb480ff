export { bootImage } from './boot.js';
export * from './engine/index.js';
export { ImageError, guestSymbols, loadImage, type LoadedImage } from './image/index.js';
export * from './machine/index.js';
export { loadToolchain, type Toolchain } from '../linker/index.js';
