// Runs the integration suite (dist/test/integration/index.js, mocha bundled in) INSIDE
// code-server's Node extension host through VS Code's own extensionTestsPath hook. code-server's
// CLI rejects --extensionDevelopmentPath/--extensionTestsPath, so they go in the workbench URL
// payload; the web workbench reports the test host's exit code via window.codeAutomationExit.
//
// Also accepts the flags VS Code does, so test/e2e/code-shim.sh can stand in for the VS Code
// executable of @vscode/test-electron's runTests({ vscodeExecutablePath }). Other flags are ignored.
//
// --untrusted runs the untrusted-workspace suite (dist/test/integration-untrusted/index.js) with
// workspace trust ON, on a fresh copy of test/integration-untrusted/workspace that is NOT trusted.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import util from 'node:util';
import { startCodeServer, openWorkbench, launchBrowser, PROJECT_ROOT } from './codeserver.mjs';

const argv = process.argv.slice(2);
const flag = (name) => {
  const a = argv.find((x) => x.startsWith(`--${name}=`));
  return a && a.slice(name.length + 3);
};
const folderArg = argv.find((x) => !x.startsWith('-') && fs.existsSync(x) && fs.statSync(x).isDirectory());
const viaShim = argv.some((x) => x.startsWith('--extensionTestsPath='));
const untrusted = argv.includes('--untrusted');
const extDir = path.resolve(flag('extensionDevelopmentPath') || PROJECT_ROOT);
const suite = untrusted ? 'dist/test/integration-untrusted/index.js' : 'dist/test/integration/index.js';
const testsPath = path.resolve(flag('extensionTestsPath') || path.join(extDir, suite));
const runDir = path.join(
  PROJECT_ROOT,
  '.vscode-test',
  viaShim ? 'run-host-shim' : untrusted ? 'run-host-untrusted' : 'run-host',
);
// The untrusted suite's workspace: a fresh copy (the suite writes to it), under a short /tmp path.
let untrustedWs;
if (untrusted) {
  untrustedWs = fs.mkdtempSync(path.join(os.tmpdir(), 'vsct-untrusted-'));
  fs.cpSync(path.join(PROJECT_ROOT, 'test/integration-untrusted/workspace'), untrustedWs, { recursive: true });
  process.on('exit', () => fs.rmSync(untrustedWs, { recursive: true, force: true }));
}
const resultFile = path.join(runDir, 'result.json');
const TIMEOUT_MS = 240000;

const t0 = Date.now();
const cs = await startCodeServer({
  runDir,
  workspace: untrustedWs || (folderArg && path.resolve(folderArg)),
  env: { TRACE_REPLAY_TEST_RESULT: resultFile },
  extraArgs: process.env.CS_ARGS ? process.env.CS_ARGS.split(' ') : [],
  workspaceTrust: untrusted,
});
console.log(`code-server up at ${cs.url} in ${Date.now() - t0} ms; workspace ${cs.workspace}`);
let exitCode = 1;
const ctx = await launchBrowser(runDir);
try {
  const page = ctx.pages()[0] || (await ctx.newPage());
  let resolveDone;
  const done = new Promise((r) => {
    resolveDone = r;
  });
  await page.exposeFunction('codeAutomationExit', (code, logs) => resolveDone({ code, logs }));
  await page.exposeFunction('codeAutomationLog', (type, args) =>
    console.log(`[ext-host ${type}]`, util.format(...(Array.isArray(args) ? args : [args]))),
  );
  page.on('console', (m) => {
    if (process.env.BROWSER_CONSOLE) console.log('[browser]', m.type(), m.text());
  });
  page.on('pageerror', (e) => console.log('[pageerror]', e.message));
  await openWorkbench(page, cs, {
    folder: cs.workspace,
    extensionDevelopmentPath: extDir,
    extensionTestsPath: testsPath,
  });
  let timer;
  const timeout = new Promise((_, rej) => {
    timer = setTimeout(() => rej(new Error(`extension tests timed out after ${TIMEOUT_MS / 1000}s`)), TIMEOUT_MS);
  });
  const { code } = await Promise.race([done, timeout]).finally(() => clearTimeout(timer));
  exitCode = code;
  console.log(`extension host exited with code ${code} after ${Date.now() - t0} ms`);
} catch (e) {
  console.error(e);
  exitCode = 1;
} finally {
  await ctx.close().catch(() => {});
  await cs.stop();
}
let result;
if (fs.existsSync(resultFile)) result = JSON.parse(fs.readFileSync(resultFile, 'utf8'));
if (exitCode !== 0) console.log('code-server log tail:\n' + cs.log.join('').slice(-4000));
// A suite that never ran (activation crash, bundle error) must not look like "0 failed".
if (!result) {
  console.log('no result file: the suite did not run');
  exitCode = exitCode || 1;
}
const which = viaShim ? ' (test-electron)' : untrusted ? ' (untrusted workspace)' : '';
console.log(`host tests${which}: ${result ? result.line : '0 passed, 1 failed'}`);
process.exit(exitCode);
