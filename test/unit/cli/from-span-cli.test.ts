// `trace-replay replay --from-span` and `--tools recorded|strict|live` as a user runs them (the real
// CLI through tsx, the OpenAI SDK pointed at the fake LLM server): the option parsing (policy words
// and a definitions file share --tools), the usage errors (exit 2, nothing sent), and a fork whose
// requests at the fake server start at the chosen span.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { overridesFrom, toolsFrom, type OverrideOptions } from '../../../src/cli/override-options';
import { startFakeLlmServer, type FakeLlmServer } from '../../support/fake-llm/fake-llm-server';
import { FIXTURES } from '../replay/replay-test-helpers';
import { runCli, runCliWithEnv } from './cli-helpers';

function opts(extra: Partial<OverrideOptions>): OverrideOptions {
  return { param: [], span: [], tools: [], cache: true, writeBack: true, queueName: 'q', ...extra };
}

describe('CLI: --from-span and --tools', function () {
  this.timeout(60000);

  describe('option parsing', () => {
    it('--tools takes a policy word and/or a tool-definitions file', () => {
      assert.deepEqual(toolsFrom(['strict']), { policy: 'strict' });
      assert.deepEqual(toolsFrom(['defs.json', 'recorded']), { policy: 'recorded', file: 'defs.json' });
      assert.deepEqual(toolsFrom(['./strict']), { file: './strict' });
      assert.throws(
        () => toolsFrom(['strict', 'recorded']),
        /one policy \(recorded, strict or live\), got strict and recorded/,
      );
      assert.throws(() => toolsFrom(['a.json', 'b.json']), /one tool-definitions file, got a.json and b.json/);
    });

    it('--from-span makes the replay chained; --mode independent with it and --tools live are usage errors', () => {
      const o = overridesFrom(opts({ fromSpan: ' ABCDEF0123456789 ', tools: ['strict', 'defs.json'] }));
      assert.equal(o.fromSpanId, 'abcdef0123456789');
      assert.equal(o.mode, 'chained');
      assert.equal(o.toolPolicy, 'strict');
      assert.equal(o.toolsPath, path.resolve('defs.json'));
      assert.equal(overridesFrom(opts({})).mode, 'independent');
      assert.equal(overridesFrom(opts({})).toolPolicy, undefined);
      assert.throws(
        () => overridesFrom(opts({ fromSpan: 'abc', mode: 'independent' })),
        (err: Error & { kind?: string }) => err.kind === 'usage' && /drop --mode independent/.test(err.message),
      );
      assert.throws(
        () => overridesFrom(opts({ tools: ['live'] })),
        (err: Error & { kind?: string }) => err.kind === 'usage' && /Live tools need an MCP server/.test(err.message),
      );
    });
  });

  describe('replay and batch', () => {
    let server: FakeLlmServer;
    let dir: string;
    let store: string;
    let env: Record<string, string>;

    before(async () => {
      server = await startFakeLlmServer();
    });
    after(async () => server.close());
    beforeEach(async () => {
      server.reset();
      dir = await mkdtemp(path.join(os.tmpdir(), 'tr-from-span-cli-'));
      store = path.join(dir, 'store');
      env = { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: server.openaiBaseUrl };
    });
    afterEach(async () => rm(dir, { recursive: true, force: true }));

    async function importChain(): Promise<{ traceId: string; llm: string[] }> {
      const imported = await runCli(['import', path.join(FIXTURES, 'traceloop-openai-chain.json'), '--store', store]);
      assert.equal(imported.code, 0, imported.stderr);
      const listed = JSON.parse((await runCli(['traces', '--store', store, '--json'])).stdout) as { id: string }[];
      // The tree `trace` prints names each LLM span's id, the one --from-span takes.
      const shown = await runCli(['trace', listed[0].id, '--store', store]);
      const llm = [...shown.stdout.matchAll(/\[llm\].* span ([0-9a-f]{16})$/gm)].map((m) => m[1]);
      assert.equal(llm.length, 2, shown.stdout);
      return { traceId: listed[0].id, llm };
    }

    it('replay --from-span sends from the chosen span on and marks it in --json', async () => {
      const { traceId, llm } = await importChain();
      const run = await runCliWithEnv(
        ['replay', traceId, '--from-span', llm[1], '--tools', 'strict', '--store', store, '--json', '--no-cache'],
        env,
      );
      assert.equal(run.code, 0, run.stderr);
      assert.equal(server.requests.length, 1, 'the span before the fork was not sent');
      const job = JSON.parse(run.stdout) as {
        overrides: Record<string, unknown>;
        spans: { originalSpanId: string; status: string; forkPoint?: boolean }[];
        comparison: { spans: { forkPoint?: boolean; original: { spanId: string } | null }[] };
      };
      assert.equal(job.overrides.fromSpanId, llm[1]);
      assert.equal(job.overrides.toolPolicy, 'strict');
      assert.equal(job.spans.find((s) => s.originalSpanId === llm[0])!.status, 'reused');
      assert.equal(job.spans.find((s) => s.originalSpanId === llm[1])!.forkPoint, true);
      assert.deepEqual(
        job.comparison.spans.filter((s) => s.forkPoint).map((s) => s.original?.spanId),
        [llm[1]],
      );
    });

    it('usage errors before anything is sent: unknown span, several traces, batch --from-span', async () => {
      const { traceId } = await importChain();
      const unknown = await runCliWithEnv(
        ['replay', traceId, '--from-span', 'feedfacefeedface', '--store', store],
        env,
      );
      assert.equal(unknown.code, 2, unknown.stderr);
      assert.match(unknown.stderr, /Span feedfacefeedface is not in trace/);
      const several = await runCliWithEnv(
        ['replay', traceId, traceId, '--from-span', 'feedfacefeedface', '--store', store],
        env,
      );
      assert.equal(several.code, 2);
      assert.match(several.stderr, /--from-span names a span of one trace, and 2 traces were given/);
      const batch = await runCliWithEnv(['batch', '--from-span', 'feedfacefeedface', '--store', store], env);
      assert.equal(batch.code, 2);
      assert.match(batch.stderr, /batch replays many; use `trace-replay replay TRACE_ID --from-span feedfacefeedface`/);
      assert.equal(server.requests.length, 0);
    });
  });
});
