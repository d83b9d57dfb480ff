export interface Layer {
  readonly folder: string;
  readonly mayImport: readonly string[];
}
export const LAYERS: readonly Layer[];
export function folderPattern(folder: string): string;
