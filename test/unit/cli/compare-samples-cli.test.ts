// `trace-replay compare` and `trace-replay replays` of repeated samples (issue 18): a store with 3 A/B
// and 2 A/A samples of one trace, made by the real CLI (`replay --repeat 3 --baseline-repeat 2`)
// against the fake LLM server, whose answers carry a seeded score a javascript evaluator reads. An A/B
// sample is compared with the spread over its siblings and says which sample it is; an A/A sample says
// it is one; a job whose siblings are gone, failed or cannot be found (no run id) shows its single
// comparison and says why there is no spread.
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { seededRandom } from '../../../src/core/compare/bootstrap';
import { openReplayJobs } from '../../../src/core/replay/replay-history';
import type { ReplaySample } from '../../../src/core/replay/replay-samples';
import { TraceStore } from '../../../src/core/store/trace-store';
import { startFakeLlmServer, type FakeLlmServer } from '../../support/fake-llm/fake-llm-server';
import { ROOT, runCli, runCliWithEnv } from './cli-helpers';

const FIXTURE = path.join(ROOT, 'test/fixtures/otlp/openinference-openai-single.json');

interface SpreadJson {
  min: number;
  median: number;
  max: number;
  n: number;
}
interface ComparisonJson {
  replayId: string;
  overrides: { model?: string };
  sample?: Required<ReplaySample>;
  samples?: number;
  scores: { evaluator: string; replay: number; spread?: SpreadJson }[];
  warnings: { source: string; message: string }[];
}
interface JobJson {
  id: string;
  status: string;
  sample: Required<ReplaySample>;
  comparison: ComparisonJson;
}

describe('trace-replay compare / replays of repeated samples', function () {
  this.timeout(120000);
  let server: FakeLlmServer;
  let dir: string;
  let store: string;
  let jobs: JobJson[];
  let ab: JobJson[];
  let aa: JobJson[];
  let run: string;

  before(async () => {
    server = await startFakeLlmServer();
    // Each answer a different score, the same ones every run (requests arrive in order: --concurrency 1).
    const random = seededRandom(11);
    server.setResponder(() => ({ text: `score=${(0.3 + random() * 0.6).toFixed(4)}` }));
    dir = await mkdtemp(path.join(os.tmpdir(), 'tr-compare-samples-'));
    store = path.join(dir, 'store');
    assert.equal((await runCli(['import', FIXTURE, '--store', store])).code, 0);
    const scorer = path.join(dir, 'quality.mjs');
    await writeFile(
      scorer,
      'export default ({ output }) => { const m = /score=([0-9.]+)/.exec(output.text); return m ? Number(m[1]) : 0.5; };\n',
    );
    const evaluators = path.join(dir, 'evaluators.json');
    await writeFile(
      evaluators,
      JSON.stringify({
        evaluators: [{ id: 'quality', type: 'javascript', scope: 'final', options: { module: scorer } }],
      }),
    );
    const [trace] = JSON.parse((await runCli(['traces', '--store', store, '--json'])).stdout) as { id: string }[];
    const replay = await runCliWithEnv(
      [
        'replay',
        trace.id,
        '--store',
        store,
        '--model',
        'openai:gpt-sample-test',
        '--repeat',
        '3',
        '--baseline-repeat',
        '2',
        '--concurrency',
        '1',
        '--evaluators',
        evaluators,
        '--allow-js-evaluators',
        '--json',
      ],
      { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: server.openaiBaseUrl },
    );
    assert.equal(replay.code, 0, replay.stderr);
    jobs = JSON.parse(replay.stdout) as JobJson[];
    ab = jobs.filter((j) => !j.sample.baseline);
    aa = jobs.filter((j) => j.sample.baseline);
    assert.deepEqual([ab.length, aa.length], [3, 2]);
    assert.equal(server.requests.length, 5, 'every sample sent');
    run = jobs[0].sample.run;
    assert.ok(run && jobs.every((j) => j.sample.run === run));
  });
  after(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  const quality = (c: ComparisonJson) => c.scores.find((s) => s.evaluator === 'quality')!;

  async function compareJson(id: string, storeDir = store): Promise<ComparisonJson> {
    const out = await runCli(['compare', id, '--store', storeDir, '--format', 'json']);
    assert.equal(out.code, 0, out.stderr);
    return JSON.parse(out.stdout) as ComparisonJson;
  }

  /** A copy of the store whose replay jobs `edit` changes (the shared one stays whole). */
  async function editedStore(edit: (jobs: Awaited<ReturnType<typeof openReplayJobs>>) => Promise<void>) {
    const copy = await mkdtemp(path.join(dir, 'copy-'));
    await cp(store, copy, { recursive: true });
    const opened = await TraceStore.open(copy);
    try {
      await edit(await openReplayJobs(opened));
    } finally {
      await opened.close();
    }
    return copy;
  }

  it('an A/B sample: its own comparison with the spread over the 3 A/B samples, in JSON as replay --json has it', async () => {
    const second = ab[1];
    const c = await compareJson(second.id);
    assert.equal(c.replayId, second.id);
    assert.deepEqual(c.sample, second.sample);
    assert.equal(c.samples, 3);
    const values = ab.map((j) => quality(j.comparison).replay);
    assert.equal(new Set(values).size, 3, 'three different scores');
    assert.equal(quality(c).replay, values[1], "the tables are sample 2's");
    const sorted = [...values].sort((a, b) => a - b);
    assert.deepEqual(quality(c).spread, { min: sorted[0], median: sorted[1], max: sorted[2], n: 3 });
    // The same spread replay --json put on the first sample.
    assert.deepEqual(quality(c).spread, quality(ab[0].comparison).spread);
    assert.deepEqual(c.warnings, []);
  });

  it('text and markdown say which sample it is, what the spread covers and how many A/A samples there are', async () => {
    const header = `sample 2 of 3 (run ${run}): spreads over the 3 A/B samples, the tables show this sample; A/A samples: 2`;
    const text = await runCli(['compare', ab[1].id, '--store', store]);
    assert.equal(text.code, 0, text.stderr);
    const lines = text.stdout.split('\n');
    assert.match(lines[0], /replayed \(COMPLETED\)$/);
    assert.equal(lines[1], header);
    assert.match(text.stdout, /^Spread over 3 samples \(replay side, min–median–max; above: sample 2\)$/m);
    assert.match(text.stdout, /^ {2}quality \(final output\)\s+\d\.\d+–\d\.\d+–\d\.\d+$/m);
    const md = await runCli(['compare', ab[1].id, '--store', store, '--format', 'md']);
    assert.equal(md.code, 0, md.stderr);
    assert.deepEqual(md.stdout.split('\n').slice(1, 4), ['', header, '']);
    assert.match(md.stdout, /^### Spread over 3 samples$/m);
    assert.match(md.stdout, /the tables here show sample 2\.$/m);
  });

  it('--html carries the spread (the report renders it) and names the sample in its title', async () => {
    const file = path.join(dir, 'sample.html');
    const out = await runCli(['compare', ab[2].id, '--store', store, '--html', file]);
    assert.equal(out.code, 0, out.stderr);
    const html = await readFile(file, 'utf8');
    assert.match(html, /<title>Replay of [^<]* \(sample 3\/3\)<\/title>/);
    const data = /<script type="application\/json" id="[^"]+">([\s\S]*?)<\/script>/.exec(html);
    const c = (JSON.parse(data![1]) as { params: { comparison: ComparisonJson } }).params.comparison;
    assert.equal(c.samples, 3);
    assert.deepEqual(quality(c).spread, quality(ab[0].comparison).spread);
  });

  it('an A/A sample says it is one (no override) and shows itself against the recording, without a spread', async () => {
    const text = await runCli(['compare', aa[0].id, '--store', store]);
    assert.equal(text.code, 0, text.stderr);
    assert.equal(
      text.stdout.split('\n')[1],
      `A/A sample 1 of 2 (run ${run}): no override, the recorded model replayed against its recording, so it shows ` +
        `the noise of two runs of the same request, not the change; A/B samples: 3 (compare one for the change and ` +
        `its spread: ${ab[0].id})`,
    );
    assert.doesNotMatch(text.stdout, /Spread over/);
    const c = await compareJson(aa[0].id);
    assert.equal(c.overrides.model, undefined, 'the recorded model');
    assert.equal(c.samples, undefined);
    assert.equal(quality(c).spread, undefined);
    assert.equal(quality(c).replay, quality(aa[0].comparison).replay);
  });

  it('replays lists each job with its sample', async () => {
    const out = await runCli(['replays', '--store', store]);
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /^CREATED\s+STATUS\s+TRACE\s+REPLAY TRACE\s+MODEL\s+SAMPLE\s+JOB$/m);
    const labels = new Map(
      jobs.map((j) => {
        const row = out.stdout.split('\n').find((l) => l.endsWith(j.id))!;
        return [j.id, /(sample \d\/3|A\/A \d\/2)/.exec(row)?.[1]];
      }),
    );
    assert.deepEqual(
      jobs.map((j) => labels.get(j.id)),
      ['sample 1/3', 'sample 2/3', 'sample 3/3', 'A/A 1/2', 'A/A 2/2'],
    );
    assert.match(out.stdout, /gpt-sample-test\s+sample 1\/3/);
    assert.match(out.stdout, /recorded model\s+A\/A 1\/2/);
  });

  it('a sibling gone from the store and one that failed: the spread over those left, each named in a warning', async () => {
    const copy = await editedStore(async (stored) => {
      assert.equal(await stored.delete(ab[2].id), true);
      await stored.update(ab[1].id, (job) => ({
        ...job!,
        status: 'FAILED',
        replayTraceId: undefined,
        error: 'the provider said no',
      }));
    });
    const partial = await editedStore(async (stored) => void (await stored.delete(ab[2].id)));
    const two = await compareJson(ab[0].id, partial);
    assert.equal(two.samples, 2);
    const values = [ab[0], ab[1]].map((j) => quality(j.comparison).replay).sort((a, b) => a - b);
    assert.deepEqual(quality(two).spread, {
      min: values[0],
      median: (values[0] + values[1]) / 2,
      max: values[1],
      n: 2,
    });
    assert.deepEqual(
      two.warnings.filter((w) => w.source === 'job').map((w) => w.message),
      [
        `The spread is over 2 of the 3 A/B samples of run ${run}: 1 sample is not in the store; replay again with --repeat for all of them.`,
      ],
    );
    const text = await runCli(['compare', ab[0].id, '--store', partial]);
    assert.equal(
      text.stdout.split('\n')[1],
      `sample 1 of 3 (run ${run}): spreads over 2 of the 3 A/B samples, the tables show this sample; A/A samples: 2`,
    );

    const none = await compareJson(ab[0].id, copy);
    assert.equal(none.samples, undefined);
    assert.equal(quality(none).spread, undefined);
    assert.deepEqual(
      none.warnings.filter((w) => w.source === 'job').map((w) => w.message),
      [
        `No spread over samples: no sibling of replay ${ab[0].id} can be compared (the other 2 A/B samples of run ` +
          `${run}: sample 2 (replay ${ab[1].id}) is FAILED (the provider said no); 1 sample is not in the store); ` +
          'replay again with --repeat for a spread.',
      ],
    );
    const noneText = await runCli(['compare', ab[0].id, '--store', copy]);
    assert.equal(noneText.code, 0, noneText.stderr);
    assert.equal(
      noneText.stdout.split('\n')[1],
      `sample 1 of 3 (run ${run}): no spread, no other A/B sample of the run can be compared (sample 2 (replay ` +
        `${ab[1].id}) is FAILED (the provider said no); 1 sample is not in the store); A/A samples: 2`,
    );
    assert.doesNotMatch(noneText.stdout, /Spread over/);
  });

  it('a sample stored before samples carried their run id: the single comparison and why there is no spread', async () => {
    const copy = await editedStore(async (stored) => {
      for (const j of jobs)
        await stored.update(j.id, (job) => {
          const { run: _run, of: _of, ...older } = job!.sample!;
          return { ...job!, sample: older };
        });
    });
    const c = await compareJson(ab[1].id, copy);
    assert.equal(c.samples, undefined);
    assert.equal(quality(c).spread, undefined);
    assert.equal(quality(c).replay, quality(ab[1].comparison).replay);
    assert.deepEqual(
      c.warnings.filter((w) => w.source === 'job').map((w) => w.message),
      [
        `No spread over samples: replay ${ab[1].id} is sample 2 of its trace, but it was stored before samples ` +
          'carried their run id, so its sibling samples cannot be told from those of other runs; replay again with ' +
          '--repeat for a spread.',
      ],
    );
    const text = await runCli(['compare', ab[1].id, '--store', copy]);
    assert.equal(
      text.stdout.split('\n')[1],
      'sample 2: no spread, it was stored before samples carried their run id, so its sibling samples cannot be ' +
        'told from those of other runs',
    );
    const listed = await runCli(['replays', '--store', copy]);
    assert.match(listed.stdout, new RegExp(`sample 2\\s+${ab[1].id}$`, 'm'));
  });
});
