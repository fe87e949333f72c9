// Activation time inside a real VS Code (code-server 1.100.3's extension host, the harness of
// test/e2e): each round starts a fresh code-server, so every activation is cold. The extension
// reports how long activate() took (TraceReplayApi.activationMs); bench/activation-probe.cjs, run
// as the extension tests, hands it back through a file.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BenchResult } from './bench-result';

const ROUNDS = 3;
const ROUND_TIMEOUT_MS = 120_000;
const ROOT = path.resolve(__dirname, '..');
const CODE_SERVER = path.join(ROOT, '.vscode-test/cs/node_modules/.bin/code-server');

interface ProbeResult {
  activationMs: number;
  wasActive: boolean;
  activateCallMs?: number;
}

interface Harness {
  startCodeServer(o: {
    runDir: string;
    env: Record<string, string>;
  }): Promise<{ workspace: string; stop(): Promise<void> }>;
  openWorkbench(
    page: unknown,
    cs: unknown,
    o: { folder: string; extensionDevelopmentPath: string; extensionTestsPath: string },
  ): Promise<void>;
  launchBrowser(runDir: string): Promise<BrowserContext>;
}
interface Page {
  exposeFunction(name: string, fn: (...args: unknown[]) => void): Promise<void>;
}
interface BrowserContext {
  pages(): Page[];
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

export async function benchActivation(): Promise<BenchResult[]> {
  if (!fs.existsSync(process.env.CODE_SERVER_BIN ?? CODE_SERVER)) {
    console.log('skipped: code-server is not installed in .vscode-test/cs (bash test/e2e/run-all.sh installs it)');
    return [];
  }
  if (!fs.existsSync(path.join(ROOT, 'dist/extension.js'))) {
    console.log('skipped: dist/extension.js is missing (npm run build)');
    return [];
  }
  // By URL: the harness is untyped JavaScript (an ES module) shared with test/e2e.
  const harness = (await import(pathToFileURL(path.join(ROOT, 'test/e2e/codeserver.mjs')).href)) as Harness;
  const rounds: ProbeResult[] = [];
  for (let i = 0; i < ROUNDS; i++) rounds.push(await oneRound(harness));
  const ms = rounds.map((r) => r.activationMs).sort((a, b) => a - b);
  const results: BenchResult[] = [
    {
      name: `activate() in a fresh extension host, median of ${ROUNDS}`,
      value: ms[Math.floor(ms.length / 2)],
      unit: 'ms',
    },
    { name: `activate() in a fresh extension host, slowest of ${ROUNDS}`, value: ms[ms.length - 1], unit: 'ms' },
  ];
  const calls = rounds.flatMap((r) => (r.activateCallMs === undefined ? [] : [r.activateCallMs]));
  if (calls.length) {
    results.push({
      name: 'extension.activate() incl. loading the bundle, median',
      value: calls.sort((a, b) => a - b)[Math.floor(calls.length / 2)],
      unit: 'ms',
    });
  } else {
    console.log('(onStartupFinished activated it before the probe ran, so bundle loading is not timed separately)');
  }
  return results;
}

async function oneRound(harness: Harness): Promise<ProbeResult> {
  const runDir = path.join(ROOT, '.vscode-test/run-bench-activation');
  const resultFile = path.join(runDir, 'result.json');
  const cs = await harness.startCodeServer({ runDir, env: { TRACE_REPLAY_BENCH_RESULT: resultFile } });
  const ctx = await harness.launchBrowser(runDir);
  try {
    const page = ctx.pages()[0] ?? (await ctx.newPage());
    let exit!: (code: number) => void;
    const exited = new Promise<number>((resolve) => (exit = resolve));
    // The web workbench reports the end of the extension tests through this hook.
    await page.exposeFunction('codeAutomationExit', (code) => exit(Number(code)));
    await harness.openWorkbench(page, cs, {
      folder: cs.workspace,
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: path.join(ROOT, 'bench/activation-probe.cjs'),
    });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`the activation probe did not finish in ${ROUND_TIMEOUT_MS / 1000} s`)),
        ROUND_TIMEOUT_MS,
      );
    });
    const code = await Promise.race([exited, timeout]).finally(() => clearTimeout(timer));
    if (code !== 0 || !fs.existsSync(resultFile))
      throw new Error(`the activation probe failed (exit code ${code}); see ${runDir}`);
    return JSON.parse(fs.readFileSync(resultFile, 'utf8')) as ProbeResult;
  } finally {
    await ctx.close().catch(() => undefined);
    await cs.stop();
  }
}
