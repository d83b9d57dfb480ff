export { ImageError } from './image-error.js';
export { guestSymbols, loadImage, type LoadedImage } from './load.js';
