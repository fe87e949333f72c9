// A real Redis for the tests: Debian's `redis-server` (apt: redis-server; .ci/run installs it) on a free
// loopback port with its own temporary folder, no persistence. `stop()` ends it, `start()` on the same
// object brings it back on the same port (a Redis restart, as the fault tests need).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface RedisServer {
  readonly port: number;
  readonly url: string;
  /** Starts it again on the same port after stop(). */
  start(): Promise<void>;
  /** Ends the server (SIGTERM) and waits for it to exit. */
  stop(): Promise<void>;
  /** stop() and removes its folder. */
  close(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** `persistent`: an append-only file synced on every write, so a restart keeps the queue (as a
 *  production Redis under BullMQ is configured); otherwise nothing is kept. */
function launch(port: number, dir: string, persistent: boolean): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    let child: ChildProcess;
    try {
      child = spawn(
        'redis-server',
        [
          ...['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', ''],
          ...(persistent ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']),
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
    } catch (err) {
      reject(err as Error);
      return;
    }
    let output = '';
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        child.off('exit', onExit);
        resolve(child);
      }
    };
    const onExit = (code: number | null): void =>
      reject(new Error(`redis-server exited (${code}) before it was ready:\n${output.slice(-2000)}`));
    child.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'ENOENT'
          ? new Error('redis-server is not installed: `apt-get install redis-server` (bash .ci/run installs it).')
          : err,
      ),
    );
    child.once('exit', onExit);
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  });
}

export async function startRedis(options: { persistent?: boolean } = {}): Promise<RedisServer> {
  const persistent = options.persistent ?? false;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'trace-replay-redis-'));
  const port = await freePort();
  let child: ChildProcess | undefined = await launch(port, dir, persistent);
  const stop = async (): Promise<void> => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve());
      c.kill('SIGTERM');
    });
  };
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    async start() {
      if (child) return;
      child = await launch(port, dir, persistent);
    },
    stop,
    async close() {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
