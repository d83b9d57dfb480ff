/** A cluster image the user must fix; the message names the file and the field or line. */
export class ImageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImageError';
  }
}
