// Entry of the throwaway probe process: runs the TypeScript through tsx, as the CLI does.
import { register } from 'tsx/esm/api';

register();
await import('./probe-main.ts');
