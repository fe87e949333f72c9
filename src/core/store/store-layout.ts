// Names inside a store folder. The extension uses `.trace-replay/` in the workspace; the CLI takes
// `--store DIR` and defaults to DEFAULT_STORE_DIR. Later features add their own subfolders next to
// `traces/` through TraceStore.collection(...).
export const DEFAULT_STORE_DIR = '.trace-replay';
export const TRACES_COLLECTION = 'traces';
export const INDEX_FILE = 'index.json';
export const TRACE_DOCUMENT_VERSION = 1;
