// Names inside a store folder. The extension uses `.trace-replay/` in the workspace; the CLI takes
// `--store DIR` and defaults to DEFAULT_STORE_DIR. Later features add their own subfolders next to
// `traces/` through TraceStore.collection(...).
export const DEFAULT_STORE_DIR = '.trace-replay';
export const TRACES_COLLECTION = 'traces';
export const INDEX_FILE = 'index.json';
/** Changes appended since index.json was written (see index-file.ts). */
export const INDEX_LOG_FILE = 'index.log';
export const TRACE_DOCUMENT_VERSION = 1;

/** Written into a store folder that has none, so recorded prompts and outputs are not committed
 *  by accident; the evaluator config the extension keeps there by default stays versionable. */
export const STORE_GITIGNORE =
  "# Trace Replay's local store: recorded prompts, model outputs and replays (not for version control).\n*\n!.gitignore\n!evaluators.json\n";
