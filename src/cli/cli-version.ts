// The CLI's version (`trace-replay --version`): package.json's "version", one source of truth.
// esbuild inlines only this property into dist/cli.js (named JSON imports are tree-shaken); tsx
// reads package.json itself when the sources run directly.
import { version } from '../../package.json';

export const CLI_VERSION: string = version;
