// Job ownership across processes: a queue's jobs carry its lease, so an interrupted run (kill -9 of
// a CLI, a closed VS Code) is resumed without re-sending its finished spans, while the jobs a live
// process is running are never taken. Real SDKs against the loopback fake LLM server.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { watch } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ProviderConfigs } from '../../../src/core/llm/llm-types';
import { createReplayServices } from '../../../src/core/replay/default-replay-services';
import { OWNERS_COLLECTION, type OwnerLease } from '../../../src/core/replay/queue-owner';
import { REPLAYS_COLLECTION, ReplayQueue } from '../../../src/core/replay/replay-queue';
import type { ReplayJob } from '../../../src/core/replay/replay-types';
import { TraceStore } from '../../../src/core/store/trace-store';
import { startFakeLlmServer, type FakeLlmServer } from '../../support/fake-llm/fake-llm-server';
import { runCliWithEnv, startCli } from '../cli/cli-helpers';
import { importFixture, tempStore, type TempStore } from './replay-test-helpers';

function configs(server: FakeLlmServer): ProviderConfigs {
  return {
    openai: {
      kind: 'openai',
      baseURL: server.openaiBaseUrl,
      apiKey: 'sk-test',
      keySource: 'OPENAI_API_KEY',
      maxRetries: 0,
    },
  };
}

/** The pid of a process that has exited (for a lease whose owner is gone). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

/** Resolves once `check` passes, re-checking whenever a file in `dir` changes (no polling sleeps).
 *  The watcher starts before the first check: a write landing between the two is not missed. */
async function whenFolder(dir: string, check: () => Promise<boolean>): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    let settled = false;
    const attempt = (): void =>
      void check().then(
        (ok) => {
          if (!ok || settled) return;
          settled = true;
          watcher.close();
          resolve();
        },
        (err: unknown) => {
          if (settled) return;
          settled = true;
          watcher.close();
          reject(err as Error);
        },
      );
    const watcher = watch(dir, attempt);
    attempt();
  });
}

describe('replay jobs across processes (leases and resume)', function () {
  this.timeout(60_000);
  let server: FakeLlmServer;
  let release: () => void = () => undefined;

  before(async () => {
    server = await startFakeLlmServer();
  });
  after(async () => server.close());
  beforeEach(() => server.reset());
  afterEach(() => release());

  describe('in one process', () => {
    let t: TempStore;
    const queues: ReplayQueue[] = [];
    beforeEach(async () => {
      t = await tempStore();
    });
    afterEach(async () => {
      release();
      for (const q of queues.splice(0)) await q.close();
      await t.dispose();
    });
    async function open(): Promise<ReplayQueue> {
      const q = await ReplayQueue.open(createReplayServices(t.store, configs(server)));
      queues.push(q);
      return q;
    }

    it('never takes a job its live owner is running; lists it as running elsewhere', async () => {
      const original = await importFixture(t.store, 'traceloop-openai-single');
      const gate = new Promise<void>((r) => (release = r));
      let arrived!: () => void;
      const sent = new Promise<void>((r) => (arrived = r));
      server.setResponder(() => {
        arrived();
        return { hold: gate };
      });
      const a = await open();
      const job = await a.enqueue(original.id, { cache: false });
      await sent;
      const b = await open();
      assert.deepEqual(await b.resume(), [], 'a live owner keeps its job');
      assert.deepEqual(
        (await b.runningElsewhere()).map((j) => j.id),
        [job.id],
      );
      release();
      const done = await a.wait(job.id);
      assert.equal(done.status, 'COMPLETED', done.error);
      assert.equal(done.resumed, undefined);
      assert.equal(server.requests.length, 1, 'sent once, by its owner');
    });

    it('resumes the jobs of a dead owner: same host and no such pid, or no heartbeat for long', async () => {
      const original = await importFixture(t.store, 'traceloop-openai-single');
      const jobs = await t.store.collection<ReplayJob>(REPLAYS_COLLECTION);
      const owners = await t.store.collection<OwnerLease>(OWNERS_COLLECTION);
      const now = Date.now();
      const leases: OwnerLease[] = [
        { id: 'q-dead-pid', host: os.hostname(), pid: await deadPid(), startedAt: now, heartbeatAt: now },
        { id: 'q-silent', host: 'another-host', pid: 1, startedAt: now - 120_000, heartbeatAt: now - 120_000 },
        { id: 'q-alive-elsewhere', host: 'another-host', pid: 1, startedAt: now, heartbeatAt: now },
      ];
      for (const lease of leases) {
        await owners.put(lease.id, lease);
        await jobs.put(`job-${lease.id}`, {
          id: `job-${lease.id}`,
          traceId: original.id,
          status: 'RUNNING',
          owner: lease.id,
          overrides: { cache: false },
          createdAt: new Date(now).toISOString(),
          providerMs: 0,
          spans: [],
        });
      }
      const q = await open();
      const resumed = await q.resume();
      assert.deepEqual(resumed.map((j) => j.id).sort(), ['job-q-dead-pid', 'job-q-silent']);
      assert.deepEqual(
        (await q.runningElsewhere()).map((j) => j.id),
        ['job-q-alive-elsewhere'],
      );
      for (const j of resumed) assert.equal((await q.wait(j.id)).status, 'COMPLETED');
      assert.equal(server.requests.length, 2);
    });
  });

  describe('the CLI', () => {
    let dir: string;
    let store: string;
    let env: Record<string, string>;
    beforeEach(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'tr-resume-'));
      store = path.join(dir, 'store');
      env = { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: server.openaiBaseUrl };
    });
    afterEach(() => rm(dir, { recursive: true, force: true }));

    it('`resume` finishes a replay killed with SIGKILL without re-sending its finished span', async () => {
      const s = await TraceStore.open(store);
      const original = await importFixture(s, 'traceloop-openai-chain');
      await s.close();
      const llmSpans = original.spans.filter((sp) => sp.kind === 'llm');
      assert.equal(llmSpans.length, 2);
      // The first call is answered, the second is held open until the process is killed.
      const gate = new Promise<void>((r) => (release = r));
      let secondArrived!: () => void;
      const second = new Promise<void>((r) => (secondArrived = r));
      server.setResponder(() => {
        if (server.requests.length < 2) return undefined;
        secondArrived();
        return { hold: gate };
      });
      const child = startCli(['replay', original.id, '--store', store, '--json'], { ...process.env, ...env });
      const exited = new Promise((r) => child.once('exit', r));
      await second;
      // Its first span's result is on disk before the kill: that is what must not be sent again.
      const replays = path.join(store, REPLAYS_COLLECTION);
      const firstDone = async (): Promise<boolean> => {
        for (const name of (await readdir(replays)).filter((n) => n.endsWith('.json'))) {
          const job = JSON.parse(
            await readFile(path.join(replays, name), 'utf-8').catch(() => '{}'),
          ) as Partial<ReplayJob>;
          if (job.spans?.some((sp) => sp.kind === 'llm' && sp.status === 'replayed')) return true;
        }
        return false;
      };
      await whenFolder(replays, firstDone);
      child.kill('SIGKILL');
      await exited;
      release();
      server.reset();

      const resumed = await runCliWithEnv(['resume', '--store', store, '--json'], env);
      assert.equal(resumed.code, 0, resumed.stderr);
      const jobs = JSON.parse(resumed.stdout) as { status: string; traceId: string }[];
      assert.deepEqual(
        jobs.map((j) => [j.traceId, j.status]),
        [[original.id, 'COMPLETED']],
      );
      assert.equal(server.requests.length, 1, 'only the span that was cut off is sent again');
      const again = await runCliWithEnv(['resume', '--store', store], env);
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stdout, /No interrupted replays to resume/);
    });
  });
});
