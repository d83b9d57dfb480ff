// Folder boundaries, checked by `make boundaries` (part of `make test`): every import
// points down the table in architecture.mjs, no module imports itself through others,
// and nothing outside tests/ imports tests/.
import { LAYERS, folderPattern } from './architecture.mjs';

const everyFolder = LAYERS.map(({ folder }) => folder);

const layerRules = LAYERS.map(({ folder, mayImport }) => ({
  name: `${folder} imports only ${mayImport.length ? mayImport.join(', ') : 'itself'}`,
  severity: 'error',
  from: { path: folderPattern(folder) },
  to: {
    path: everyFolder.filter((other) => other !== folder && !mayImport.includes(other)).map(folderPattern),
  },
}));

export default {
  forbidden: [
    ...layerRules,
    {
      name: 'no-cycles',
      comment: 'Modules that import each other, directly or through others.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'product-does-not-import-tests',
      severity: 'error',
      from: { pathNot: '^tests/' },
      to: { path: '^tests/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^node_modules/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.mts', '.mjs', '.js'] },
  },
};
