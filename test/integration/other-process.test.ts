// Another process on the extension's store: `trace-replay import` in a terminal (the real CLI bundle)
// writes into the folder the extension has open, and the Traces view shows the trace without any
// action in VS Code (the store watches its index files and catches up under its lock).
import * as assert from 'node:assert';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import type { TraceReplayApi } from '../../src/extension/extension';
import { activatedApi, extension, fixturePath, traceRoot, whenRoots } from './helpers';

const run = promisify(execFile);
const FOREIGN_TRACE = 'abcdefabcdefabcdefabcdefabcdef01';

describe('a second process on the store', () => {
  let api: TraceReplayApi;
  let tmp: string;

  before(async () => {
    api = await activatedApi();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tr-other-process-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('a trace the CLI imports into the open store appears in the Traces view', async () => {
    await api.store();
    const text = fs
      .readFileSync(fixturePath('weather-agent.otlp.json'), 'utf-8')
      .replaceAll('4bf92f3577b34da6a3ce929d0e0e4736', FOREIGN_TRACE);
    const file = path.join(tmp, 'foreign.otlp.json');
    fs.writeFileSync(file, text);
    assert.ok(text.includes(FOREIGN_TRACE));
    const shown = whenRoots(api.tracesTree, (roots) => !!traceRoot(roots, FOREIGN_TRACE));
    const cli = path.join(extension().extensionPath, 'dist', 'cli.js');
    const imported = await run(process.execPath, [cli, 'import', file, '--store', api.storeDir()], {
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    });
    assert.match(imported.stdout, /1 trace/);
    await shown;
    const store = await api.store();
    assert.ok(store.getSummary(FOREIGN_TRACE), "the extension's store knows it too");
  });
});
