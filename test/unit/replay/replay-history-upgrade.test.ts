// Jobs stored before TemplateRef (0.1) named their template by `overrides.templatePath`: a file's
// path or a `langfuse[<connection>]:<name>@<version>` spec. They are read back as TemplateRefs, by
// the history, the queue's resume and `replays --json` (which still prints the 0.1 string).
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Attributes } from '../../../src/core/model/trace';
import { replayTemplateLoader } from '../../../src/core/replay/default-replay-services';
import { listReplayJobs, openReplayJobs, REPLAYS_COLLECTION } from '../../../src/core/replay/replay-history';
import { ReplayQueue } from '../../../src/core/replay/replay-queue';
import type { ReplayJob } from '../../../src/core/replay/replay-types';
import { rawSpan } from '../../support/raw-span-builder';
import { runCli } from '../cli/cli-helpers';
import { ScriptedGateway, scriptedServices, tempStore, type TempStore } from './replay-test-helpers';

const TRACE = 'c'.repeat(32);

/** A job document exactly as 0.1 wrote it (no `template`, a `templatePath` string). */
function legacyJob(id: string, templatePath: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    traceId: TRACE,
    status: 'COMPLETED',
    createdAt: '2026-01-01T00:00:00.000Z',
    providerMs: 0,
    spans: [],
    overrides: { model: 'openai:gpt-4o', templatePath, templateSpanIds: ['1'.repeat(16)] },
    ...extra,
  };
}

describe('replay jobs stored with the 0.1 templatePath', () => {
  let t: TempStore;

  beforeEach(async () => {
    t = await tempStore();
  });
  afterEach(async () => t.dispose());

  async function writeLegacy(job: Record<string, unknown>): Promise<void> {
    const dir = path.join(t.store.dir, REPLAYS_COLLECTION);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, `${String(job.id)}.json`), JSON.stringify(job));
  }

  it('reads a file path and each langfuse: form back as a TemplateRef, keeping the other overrides', async () => {
    const file = path.join(t.dir, 'prompts', 'support.prompt.md');
    const cases: [string, unknown][] = [
      [file, { kind: 'file', path: file }],
      ['langfuse[eu]:x@3', { kind: 'prompt', platform: 'langfuse', connection: 'eu', name: 'x', version: '3' }],
      ['langfuse:team/support@12', { kind: 'prompt', platform: 'langfuse', name: 'team/support', version: '12' }],
      ['langfuse:support#staging', { kind: 'prompt', platform: 'langfuse', name: 'support', label: 'staging' }],
      // 0.1 read a bare name as the production label, and so does the upgraded job.
      [
        'langfuse[prod]:support',
        { kind: 'prompt', platform: 'langfuse', connection: 'prod', name: 'support', label: 'production' },
      ],
    ];
    for (const [i, [templatePath]] of cases.entries()) await writeLegacy(legacyJob(`job-${i}`, templatePath));

    const jobs = await openReplayJobs(t.store);
    for (const [i, [templatePath, expected]] of cases.entries()) {
      const job = await jobs.get(`job-${i}`);
      assert.deepEqual(job?.overrides.template, expected, templatePath);
      assert.equal(
        (job?.overrides as Record<string, unknown>).templatePath,
        undefined,
        `${templatePath}: the old key is gone`,
      );
      assert.equal(job?.overrides.model, 'openai:gpt-4o');
      assert.deepEqual(job?.overrides.templateSpanIds, ['1'.repeat(16)]);
    }
    const listed = await listReplayJobs(jobs);
    assert.deepEqual(
      new Map(listed.map((j) => [j.id, j.overrides.template])),
      new Map(cases.map(([, expected], i) => [`job-${i}`, expected])),
      'the listing too',
    );
  });

  it('keeps a path that only looks like a spec (a Windows drive, an unknown prefix, a malformed langfuse: spec) a file', async () => {
    const paths = ['C:\\prompts\\x.txt', 'phoenix-old:support@3', 'langfuse:support@x', 'langfuse:'];
    for (const [i, p] of paths.entries()) await writeLegacy(legacyJob(`job-${i}`, p));
    const jobs = await openReplayJobs(t.store);
    for (const [i, p] of paths.entries())
      assert.deepEqual((await jobs.get(`job-${i}`))?.overrides.template, { kind: 'file', path: p }, p);
  });

  it('leaves a job without a template, and one already in the new shape, as they are', async () => {
    await writeLegacy({ ...legacyJob('job-plain', ''), overrides: { model: 'openai:gpt-4o' } });
    const ref = { kind: 'prompt', platform: 'langfuse', name: 'support', version: '4' };
    await writeLegacy({ ...legacyJob('job-new', ''), overrides: { template: ref } });
    const jobs = await openReplayJobs(t.store);
    assert.deepEqual((await jobs.get('job-plain'))?.overrides, { model: 'openai:gpt-4o' });
    assert.deepEqual((await jobs.get('job-new'))?.overrides, { template: ref });
  });

  it('`replays --json` prints the 0.1 templatePath string for old and new jobs alike', async () => {
    await writeLegacy(legacyJob('job-old', 'langfuse[eu]:x@3'));
    await writeLegacy({
      ...legacyJob('job-new', ''),
      createdAt: '2026-01-02T00:00:00.000Z',
      overrides: { template: { kind: 'prompt', platform: 'langfuse', name: 'support', label: 'staging' } },
    });
    await t.store.close();
    const run = await runCli(['replays', '--json', '--store', t.store.dir]);
    assert.equal(run.code, 0, run.stderr);
    const printed = JSON.parse(run.stdout) as { id: string; overrides: Record<string, unknown> }[];
    assert.deepEqual(
      printed.map((j) => [j.id, j.overrides.templatePath, j.overrides.template]),
      [
        ['job-new', 'langfuse:support#staging', undefined],
        ['job-old', 'langfuse[eu]:x@3', undefined],
      ],
    );
  });

  it('a job interrupted before the upgrade resumes with its template file', async () => {
    const recorded: Attributes = {
      'openinference.span.kind': 'LLM',
      'llm.provider': 'openai',
      'llm.model_name': 'gpt-4o-mini',
      'llm.input_messages.0.message.role': 'user',
      'llm.input_messages.0.message.content': 'Answer politely: where is order 42?',
      'llm.prompt_template.template': 'Answer politely: {question}',
      'llm.prompt_template.variables': JSON.stringify({ question: 'where is order 42?' }),
      'llm.output_messages.0.message.role': 'assistant',
      'llm.output_messages.0.message.content': 'ok',
    };
    await t.store.ingest([
      rawSpan({
        traceId: TRACE,
        spanId: 'f'.repeat(16),
        name: 'workflow',
        startMs: 1_700_000_000_000,
        durationMs: 100,
      }),
      rawSpan({
        traceId: TRACE,
        spanId: '1'.repeat(16),
        parentSpanId: 'f'.repeat(16),
        name: 'ChatCompletion',
        startMs: 1_700_000_000_010,
        scopeName: '@arizeai/openinference-instrumentation-openai',
        attributes: recorded,
      }),
    ]);
    const file = path.join(t.dir, 'support-v2.txt');
    await writeFile(file, 'Kindly answer: {question}');
    // No owner: the process that ran it is gone.
    await writeLegacy(legacyJob('job-interrupted', file, { status: 'RUNNING' }));

    const gateway = new ScriptedGateway();
    const queue = await ReplayQueue.open({
      ...scriptedServices(t.store, gateway),
      loadTemplate: replayTemplateLoader(),
    });
    try {
      const resumed = await queue.resume();
      assert.deepEqual(
        resumed.map((j) => j.id),
        ['job-interrupted'],
      );
      const done = await queue.wait('job-interrupted');
      assert.equal(done.status, 'COMPLETED', done.error);
      assert.deepEqual(
        gateway.executed.map((e) => e.call.messages[0].parts),
        [[{ type: 'text', text: 'Kindly answer: where is order 42?' }]],
      );
    } finally {
      await queue.close();
    }
    const onDisk = JSON.parse(
      await readFile(path.join(t.store.dir, REPLAYS_COLLECTION, 'job-interrupted.json'), 'utf8'),
    ) as ReplayJob & { overrides: Record<string, unknown> };
    assert.deepEqual(onDisk.overrides.template, { kind: 'file', path: file }, 'written back in the new shape');
    assert.equal(onDisk.overrides.templatePath, undefined);
  });
});
