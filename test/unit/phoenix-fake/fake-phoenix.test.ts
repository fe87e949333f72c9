// The fake Phoenix server answers as Phoenix does, over real HTTP: recorded OpenInference traces
// (Python protobuf recordings POSTed to /v1/traces, a JS OTLP/JSON capture loaded directly) read back
// through projects, traces and spans; prompts by version, tag and latest; annotations round trip;
// the API key, 404s, 429 and the OpenAPI guard.
import { strict as assert } from 'node:assert';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import {
  startFakePhoenix,
  type FakePhoenixPrompts,
  type FakePhoenixServer,
} from '../../support/fake-phoenix/fake-phoenix-server';
import { readOtlpFixture } from '../../support/fake-phoenix/phoenix-fixtures';

const FIXTURES = join(__dirname, '..', '..', 'fixtures');
const KEY = 'phx-test-key';
const AUTH = { authorization: `Bearer ${KEY}` };

const PROMPTS: FakePhoenixPrompts = {
  'weather-system': [
    {
      model_provider: 'OPENAI',
      model_name: 'gpt-4o-mini',
      template_format: 'MUSTACHE',
      tags: ['production'],
      template: { type: 'chat', messages: [{ role: 'system', content: 'You are a weather bot for {{city}}.' }] },
      invocation_parameters: { type: 'openai', openai: { temperature: 0.2 } },
    },
    {
      model_provider: 'ANTHROPIC',
      model_name: 'claude-haiku-4-5',
      template_format: 'F_STRING',
      tags: ['staging'],
      description: 'shorter',
      template: { type: 'chat', messages: [{ role: 'system', content: 'Answer for {city} in one sentence.' }] },
      invocation_parameters: { type: 'anthropic', anthropic: { max_tokens: 256 } },
    },
  ],
  'plain-text': [
    {
      model_provider: 'AZURE_OPENAI',
      model_name: 'gpt-4o',
      template_format: 'NONE',
      template: { type: 'string', template: 'Hello' },
      invocation_parameters: { type: 'azure_openai', azure_openai: { seed: 1 } },
    },
  ],
};

interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

type Json = Record<string, unknown>;

describe('fake Phoenix server', () => {
  let server: FakePhoenixServer;

  async function get(path: string, headers: Record<string, string> = AUTH): Promise<Response> {
    return fetch(server.baseUrl + path, { headers });
  }

  async function getJson<T>(path: string): Promise<T> {
    const res = await get(path);
    assert.equal(res.status, 200, `${path}: ${res.status} ${await res.clone().text()}`);
    assert.equal(res.headers.get('content-type'), 'application/json');
    return res.json() as Promise<T>;
  }

  async function post(path: string, body: unknown): Promise<Response> {
    return fetch(server.baseUrl + path, {
      method: 'POST',
      headers: { ...AUTH, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  before(async () => {
    server = await startFakePhoenix({ apiKey: KEY, prompts: PROMPTS });
    for (const name of ['single', 'chain', 'agent']) {
      for (const { contentType, body } of readOtlpFixture(
        join(FIXTURES, 'python', `openinference-openai-${name}.json`),
      )) {
        const res = await fetch(`${server.baseUrl}/v1/traces`, {
          method: 'POST',
          headers: { ...AUTH, 'content-type': contentType },
          body: new Uint8Array(body),
        });
        assert.equal(res.status, 200);
        assert.equal(res.headers.get('content-type'), 'application/x-protobuf');
        assert.equal((await res.arrayBuffer()).byteLength, 0);
      }
    }
    assert.equal(server.ingestOtlpFile(join(FIXTURES, 'otlp', 'openinference-anthropic-agent.json'), 'js-app'), 6);
  });

  after(async () => {
    await server.close();
  });

  afterEach(() => {
    assert.deepEqual(server.violations, []);
    assert.deepEqual(server.store.ingestErrors, []);
  });

  it('ingests protobuf OTLP into "default" and a JSON capture into its project; lists and finds projects', async () => {
    assert.equal(server.otlpBodies.length, 3);
    assert.ok(server.otlpBodies.every((b) => b.contentType === 'application/x-protobuf' && b.request !== undefined));
    const projects = await getJson<Page<Json>>('/v1/projects');
    assert.deepEqual(
      projects.data.map((p) => p.name),
      ['js-app', 'default'],
    );
    assert.equal(projects.next_cursor, null);
    const byName = await getJson<{ data: Json }>('/v1/projects/js-app');
    assert.deepEqual(byName.data, {
      name: 'js-app',
      description: null,
      id: Buffer.from('Project:2').toString('base64'),
    });
    const byId = await getJson<{ data: Json }>(`/v1/projects/${String(byName.data.id)}`);
    assert.equal(byId.data.name, 'js-app');
    const paged = await getJson<Page<Json>>('/v1/projects?limit=1');
    assert.equal(paged.data[0].name, 'js-app');
    assert.equal(
      (await getJson<Page<Json>>(`/v1/projects?limit=1&cursor=${paged.next_cursor}`)).data[0].name,
      'default',
    );
  });

  it('lists traces newest first with cursor paging, token sums of the LLM spans, time bounds and spans', async () => {
    const first = await getJson<Page<Json>>('/v1/projects/default/traces?limit=2');
    assert.equal(first.data.length, 2);
    assert.ok(first.next_cursor);
    const second = await getJson<Page<Json>>(
      `/v1/projects/default/traces?limit=2&cursor=${encodeURIComponent(first.next_cursor)}`,
    );
    assert.equal(second.data.length, 1);
    assert.equal(second.next_cursor, null);
    const all = [...first.data, ...second.data];
    assert.equal(new Set(all.map((t) => t.trace_id)).size, 3);
    const starts = all.map((t) => Date.parse(String(t.start_time)));
    assert.deepEqual(
      starts,
      [...starts].sort((a, b) => b - a),
    );
    // The recordings' usage: first call 21 in / 9 out, second call 48 / 12 (test/fixtures/python/README.md).
    assert.deepEqual(
      all.map((t) => [t.token_count_prompt, t.token_count_completion, t.token_count_total]),
      [
        [69, 21, 90],
        [69, 21, 90],
        [21, 9, 30],
      ],
    );
    assert.ok(
      all.every(
        (t) => t.spans === null && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?\+00:00$/.test(String(t.start_time)),
      ),
    );

    const oldest = all[2];
    const since = await getJson<Page<Json>>(
      `/v1/projects/default/traces?start_time=${encodeURIComponent(String(all[1].start_time))}`,
    );
    assert.deepEqual(
      since.data.map((t) => t.trace_id),
      [all[0].trace_id, all[1].trace_id],
    );
    const before = await getJson<Page<Json>>(
      `/v1/projects/default/traces?end_time=${encodeURIComponent(String(all[1].start_time))}&order=asc`,
    );
    assert.deepEqual(
      before.data.map((t) => t.trace_id),
      [oldest.trace_id],
    );

    const withSpans = await getJson<Page<Json>>('/v1/projects/js-app/traces?include_spans=true');
    const spans = withSpans.data[0].spans as Json[];
    assert.deepEqual(
      spans.map((s) => [s.name, s.span_kind]),
      [
        ['workflow', 'CHAIN'],
        ['Anthropic Messages', 'LLM'],
        ['anthropic.messages.create', 'LLM'],
        ['get_weather', 'TOOL'],
        ['Anthropic Messages', 'LLM'],
        ['anthropic.messages.create', 'LLM'],
      ],
    ); // the SDK's own spans carry gen_ai.* only: Phoenix makes them LLM spans too
    assert.equal(withSpans.data[0].token_count_prompt, 2 * (28 + 48)); // Anthropic's input_tokens exclude the 4 cache-read + 3 cache-write
    assert.equal(spans[0].parent_id, null);
  });

  it("reads a trace's spans with Phoenix's flattened attributes, span_kind taken out of them", async () => {
    const [agent] = (await getJson<Page<Json>>('/v1/projects/default/traces?limit=1')).data;
    const page = await getJson<Page<Json>>(`/v1/projects/default/spans?trace_id=${String(agent.trace_id)}`);
    assert.equal(page.data.length, 4);
    const llm = page.data.filter((s) => s.span_kind === 'LLM');
    assert.equal(llm.length, 2);
    const attrs = llm[llm.length - 1].attributes as Json; // the first call: ids are newest first
    assert.equal(attrs['openinference.span.kind'], undefined);
    assert.equal(attrs['llm.input_messages.0.message.role'], 'system');
    assert.equal(attrs['llm.token_count.prompt'], 21);
    assert.equal(typeof attrs['input.value'], 'string');
    assert.deepEqual(llm[0].context, {
      trace_id: agent.trace_id,
      span_id: llm[0].context && (llm[0].context as Json).span_id,
    });

    const one = await getJson<Page<Json>>(
      `/v1/projects/default/spans?trace_id=${String(agent.trace_id)}&span_kind=llm&limit=1`,
    );
    assert.equal(one.data.length, 1);
    const rest = await getJson<Page<Json>>(
      `/v1/projects/default/spans?trace_id=${String(agent.trace_id)}&span_kind=LLM&limit=1&cursor=${one.next_cursor}`,
    );
    assert.equal(rest.data.length, 1);
    assert.equal(rest.next_cursor, null);
    assert.notEqual(rest.data[0].id, one.data[0].id);

    const roots = await getJson<Page<Json>>('/v1/projects/default/spans?parent_id=null');
    assert.deepEqual(
      roots.data.map((s) => s.name),
      ['workflow', 'workflow', 'workflow'],
    );
    const byAttribute = await getJson<Page<Json>>('/v1/projects/default/spans?attribute=llm.token_count.prompt:48');
    assert.equal(byAttribute.data.length, 2);

    const bad = await get('/v1/projects/default/spans?span_kind=robot');
    assert.equal(bad.status, 422);
    assert.equal(await bad.text(), "Invalid span_kind values: ['ROBOT']");
    const badLimit = await get('/v1/projects/default/spans?limit=0');
    assert.equal(badLimit.status, 422);
    assert.equal(((await badLimit.json()) as { detail: Json[] }).detail[0].type, 'greater_than');
  });

  it('answers /spans/otlpv1 in the OTLP shape Phoenix gives (every field, null when unset)', async () => {
    const page = await getJson<Page<Json>>('/v1/projects/js-app/spans/otlpv1?limit=1&name=Anthropic%20Messages');
    const span = page.data[0];
    assert.ok(page.next_cursor);
    assert.equal(span.kind, 'SPAN_KIND_INTERNAL');
    assert.equal(span.flags, null);
    assert.deepEqual(span.status, { code: 1, message: null });
    const kind = (span.attributes as { key: string; value: Json }[]).find((a) => a.key === 'openinference.span.kind');
    assert.deepEqual(kind?.value, {
      array_value: null,
      bool_value: null,
      bytes_value: null,
      double_value: null,
      int_value: null,
      kvlist_value: null,
      string_value: 'LLM',
    });
  });

  it('keeps doubles as doubles in /spans/otlpv1, and exception events with their exception.* attributes only', async () => {
    const kv = (key: string, value: Json): Json => ({ key, value });
    server.ingest({
      resourceSpans: [
        {
          resource: { attributes: [kv('openinference.project.name', { stringValue: 'numbers' })] },
          scopeSpans: [
            {
              spans: [
                {
                  traceId: '0123456789abcdef0123456789abcdef',
                  spanId: '0123456789abcdef',
                  name: 'calc',
                  startTimeUnixNano: '1795643494000000000',
                  endTimeUnixNano: '1795643494500000000',
                  attributes: [
                    kv('openinference.span.kind', { stringValue: 'LLM' }),
                    kv('llm.invocation.temperature', { doubleValue: 0 }),
                    kv('count', { intValue: '3' }),
                    kv('weights', { arrayValue: { values: [{ doubleValue: 1 }, { doubleValue: 2.5 }] } }),
                    kv('metadata', { stringValue: '{"tier":"gold"}' }),
                  ],
                  events: [
                    {
                      name: 'exception',
                      timeUnixNano: '1795643494100000000',
                      attributes: [
                        kv('exception.message', { stringValue: 'boom' }),
                        kv('extra', { stringValue: 'dropped' }),
                      ],
                    },
                  ],
                  status: { code: 2, message: 'failed' },
                },
              ],
            },
          ],
        },
      ],
    });
    const [otlp] = (await getJson<Page<Json>>('/v1/projects/numbers/spans/otlpv1')).data;
    const value = (key: string): Json | undefined =>
      (otlp.attributes as { key: string; value: Json }[]).find((a) => a.key === key)?.value;
    assert.equal(value('llm.invocation.temperature')?.double_value, 0);
    assert.equal(value('llm.invocation.temperature')?.int_value, null);
    assert.equal(value('count')?.int_value, 3);
    assert.deepEqual(
      (value('weights')?.array_value as { values: Json[] }).values.map((v) => v.double_value),
      [1, 2.5],
    );
    assert.deepEqual(otlp.status, { code: 2, message: 'failed' });
    assert.equal(otlp.start_time_unix_nano, 1795643494000000000);

    const [span] = (await getJson<Page<Json>>('/v1/projects/numbers/spans')).data;
    assert.equal(span.status_code, 'ERROR');
    assert.equal((span.attributes as Json)['metadata.tier'], 'gold');
    assert.deepEqual(span.events, [
      { name: 'exception', timestamp: '2026-11-25T21:51:34.100000+00:00', attributes: { 'exception.message': 'boom' } },
    ]);
  });

  it('POST /v1/traces: JSON is 415 as in Phoenix, gzip and x-project-name work, bad bytes are 422', async () => {
    const [json] = readOtlpFixture(join(FIXTURES, 'otlp', 'openinference-openai-single.json'));
    const refused = await fetch(`${server.baseUrl}/v1/traces`, {
      method: 'POST',
      headers: { ...AUTH, 'content-type': 'application/json' },
      body: new Uint8Array(json.body),
    });
    assert.equal(refused.status, 415);
    assert.equal(await refused.text(), 'Unsupported content type: application/json');

    const [proto] = readOtlpFixture(join(FIXTURES, 'python', 'openinference-anthropic-single.json'));
    const ok = await fetch(`${server.baseUrl}/v1/traces`, {
      method: 'POST',
      headers: {
        ...AUTH,
        'content-type': 'application/x-protobuf',
        'content-encoding': 'gzip',
        'x-project-name': 'zipped',
      },
      body: new Uint8Array(gzipSync(proto.body)),
    });
    assert.equal(ok.status, 200);
    assert.equal((await getJson<Page<Json>>('/v1/projects/zipped/traces')).data.length, 1);

    const bad = await fetch(`${server.baseUrl}/v1/traces`, {
      method: 'POST',
      headers: { ...AUTH, 'content-type': 'application/x-protobuf' },
      body: new Uint8Array([0xff, 0xff, 0xff]),
    });
    assert.equal(bad.status, 422);
    assert.equal(await bad.text(), 'Request body is invalid ExportTraceServiceRequest');
  });

  it('prompts: list, versions newest first, by tag, latest, by version id, 404s as Phoenix', async () => {
    const list = await getJson<Page<Json>>('/v1/prompts');
    assert.deepEqual(
      list.data.map((p) => p.name),
      ['plain-text', 'weather-system'],
    );
    const versions = await getJson<Page<Json>>('/v1/prompts/weather-system/versions');
    assert.deepEqual(
      versions.data.map((v) => v.model_name),
      ['claude-haiku-4-5', 'gpt-4o-mini'],
    );
    const production = await getJson<{ data: Json }>('/v1/prompts/weather-system/tags/production');
    assert.deepEqual(production.data, {
      description: '',
      model_provider: 'OPENAI',
      model_name: 'gpt-4o-mini',
      template_type: 'CHAT',
      template_format: 'MUSTACHE',
      template: { type: 'chat', messages: [{ role: 'system', content: 'You are a weather bot for {{city}}.' }] },
      invocation_parameters: { type: 'openai', openai: { temperature: 0.2 } },
      id: versions.data[1].id,
    });
    const latest = await getJson<{ data: Json }>('/v1/prompts/weather-system/latest');
    assert.equal(latest.data.template_format, 'F_STRING');
    assert.equal(latest.data.description, 'shorter');
    const byId = await getJson<{ data: Json }>(`/v1/prompt_versions/${String(versions.data[1].id)}`);
    assert.equal(byId.data.model_name, 'gpt-4o-mini');
    const str = await getJson<{ data: Json }>('/v1/prompts/plain-text/latest');
    assert.equal(str.data.template_type, 'STR');
    assert.deepEqual(str.data.invocation_parameters, { type: 'openai', openai: { seed: 1 } });

    for (const path of ['/v1/prompts/weather-system/tags/nope', '/v1/prompts/missing/latest']) {
      const res = await get(path);
      assert.equal(res.status, 404, path);
      assert.equal(await res.text(), 'Not Found');
    }
    assert.deepEqual(await getJson<Page<Json>>('/v1/prompts/missing/versions'), { next_cursor: null, data: [] });
    const badName = await get('/v1/prompts/Not%20A%20Name/latest');
    assert.equal(badName.status, 422);
    assert.equal(await badName.text(), 'Invalid prompt name');
  });

  it('prompt version tags: list, add (moving the tag within the prompt), 404/422 as Phoenix', async () => {
    const versions = (await getJson<Page<Json>>('/v1/prompts/weather-system/versions')).data;
    const [newest, oldest] = versions.map((v) => String(v.id));
    const tags = await getJson<Page<Json>>(`/v1/prompt_versions/${oldest}/tags`);
    assert.deepEqual(
      tags.data.map((t) => t.name),
      ['production'],
    );
    const added = await post(`/v1/prompt_versions/${newest}/tags`, { name: 'production', description: 'moved' });
    assert.equal(added.status, 204);
    assert.deepEqual((await getJson<Page<Json>>(`/v1/prompt_versions/${oldest}/tags`)).data, []);
    const moved = await getJson<Page<Json>>(`/v1/prompt_versions/${newest}/tags`);
    assert.deepEqual(
      moved.data.map((t) => [t.name, t.description]),
      [
        ['production', 'moved'],
        ['staging', undefined],
      ],
    );
    assert.equal((await getJson<{ data: Json }>('/v1/prompts/weather-system/tags/production')).data.id, newest);
    const missing = await get(`/v1/prompt_versions/${Buffer.from('PromptVersion:99').toString('base64')}/tags`);
    assert.equal(missing.status, 404);
    assert.equal(await missing.text(), 'Prompt version not found');
    const invalid = await get('/v1/prompt_versions/nope/tags');
    assert.equal(invalid.status, 422);
    assert.equal(await invalid.text(), 'Invalid prompt version ID');
  });

  it('POST /v1/prompts adds a version that becomes latest; a string template is refused', async () => {
    const version = {
      model_provider: 'OPENAI',
      model_name: 'gpt-4.1-mini',
      template_type: 'CHAT',
      template_format: 'MUSTACHE',
      template: { type: 'chat', messages: [{ role: 'system', content: 'v3 for {{city}}' }] },
      invocation_parameters: { type: 'openai', openai: {} },
    };
    const res = await post('/v1/prompts', { prompt: { name: 'weather-system' }, version });
    assert.equal(res.status, 200);
    const created = (await res.json()) as { data: Json };
    assert.equal(created.data.model_name, 'gpt-4.1-mini');
    assert.equal((await getJson<{ data: Json }>('/v1/prompts/weather-system/latest')).data.id, created.data.id);

    const str = await post('/v1/prompts', {
      prompt: { name: 'new-one' },
      version: { ...version, template_type: 'STR', template: { type: 'string', template: 'x' } },
    });
    assert.equal(str.status, 422);
    assert.equal(await str.text(), 'Only CHAT template type is supported for prompts');
  });

  it('annotations: POST (async and sync), upsert on identifier, GET by span/trace ids, 404 for unknown ids', async () => {
    const [agent] = (await getJson<Page<Json>>('/v1/projects/default/traces?limit=1&include_spans=true')).data;
    const spanId = String((agent.spans as Json[])[1].span_id);
    const queued = await post('/v1/span_annotations', {
      data: [{ span_id: spanId, name: 'correctness', annotator_kind: 'LLM', result: { label: 'correct', score: 1 } }],
    });
    assert.deepEqual(await queued.json(), { data: [] });
    const synced = await post('/v1/span_annotations?sync=true', {
      data: [
        {
          span_id: spanId,
          name: 'correctness',
          annotator_kind: 'LLM',
          result: { label: 'wrong', score: 0, explanation: 'changed' },
        },
      ],
    });
    const ids = ((await synced.json()) as { data: { id: string }[] }).data;
    assert.deepEqual(ids, [{ id: server.spanAnnotations[0].id }]);
    assert.equal(server.spanAnnotations.length, 1);

    const page = await getJson<Page<Json>>(`/v1/projects/default/span_annotations?span_ids=${spanId}`);
    assert.equal(page.data.length, 1);
    assert.equal(page.data[0].span_id, spanId);
    assert.deepEqual(page.data[0].result, { label: 'wrong', score: 0, explanation: 'changed' });
    assert.equal(page.data[0].source, 'API');

    const missing = await post('/v1/span_annotations?sync=true', {
      data: [{ span_id: '0000000000000001', name: 'x', annotator_kind: 'CODE' }],
    });
    assert.equal(missing.status, 404);
    assert.equal(await missing.text(), 'Spans with IDs 0000000000000001 do not exist.');
    const none = await get('/v1/projects/default/span_annotations?span_ids=0000000000000001');
    assert.equal(none.status, 404);
    assert.equal(await none.text(), 'None of the supplied span_ids exist in this project');
    const noFilter = await get('/v1/projects/default/span_annotations');
    assert.equal(noFilter.status, 422);

    const traceId = String(agent.trace_id);
    await post('/v1/trace_annotations?sync=true', {
      data: [{ trace_id: traceId, name: 'helpful', annotator_kind: 'HUMAN', result: { score: 0.5 }, identifier: 'a' }],
    });
    await post('/v1/trace_annotations?sync=true', {
      data: [{ trace_id: traceId, name: 'helpful', annotator_kind: 'HUMAN', result: { score: 1 }, identifier: 'b' }],
    });
    const first = await getJson<Page<Json>>(`/v1/projects/default/trace_annotations?trace_ids=${traceId}&limit=1`);
    assert.equal(first.data[0].identifier, 'b');
    const second = await getJson<Page<Json>>(
      `/v1/projects/default/trace_annotations?trace_ids=${traceId}&limit=1&cursor=${first.next_cursor}`,
    );
    assert.equal(second.data[0].identifier, 'a');
    assert.equal(second.next_cursor, null);

    const note = await post('/v1/trace_annotations', {
      data: [{ trace_id: traceId, name: 'note', annotator_kind: 'HUMAN' }],
    });
    assert.equal(note.status, 400);
  });

  it('a request body outside the OpenAPI document is a JSON 422 and a recorded violation', async () => {
    const res = await post('/v1/span_annotations', { data: [{ span_id: 'x', name: 'n', annotator_kind: 'ROBOT' }] });
    assert.equal(res.status, 422);
    assert.ok(Array.isArray(((await res.json()) as { detail: unknown }).detail));
    assert.ok(server.violations.some((v) => v.startsWith('POST /v1/span_annotations body: /data/0/annotator_kind')));
    server.violations.length = 0;
  });

  it('401 without the API key or with another one, as Phoenix with auth enabled', async () => {
    for (const headers of [{}, { authorization: 'Bearer wrong' }] as Record<string, string>[]) {
      const res = await get('/v1/projects', headers);
      assert.equal(res.status, 401);
      assert.equal(await res.text(), 'Invalid token');
      assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer realm="Arize Phoenix"/);
    }
  });

  it('404 for an unknown project, by name or by id', async () => {
    const byName = await get('/v1/projects/nope/traces');
    assert.equal(byName.status, 404);
    assert.equal(byName.headers.get('content-type'), 'text/plain; charset=utf-8');
    assert.equal(await byName.text(), 'Project with name nope not found');
    const id = Buffer.from('Project:99').toString('base64');
    const byId = await get(`/v1/projects/${id}`);
    assert.equal(byId.status, 404);
    assert.equal(await byId.text(), `Project with ID ${id} not found`);
  });

  it('429 with Retry-After for the next requests, then normal answers', async () => {
    server.rateLimitNext(2, '7');
    for (let i = 0; i < 2; i++) {
      const res = await get('/v1/projects');
      assert.equal(res.status, 429);
      assert.equal(res.headers.get('retry-after'), '7');
    }
    assert.equal((await get('/v1/projects')).status, 200);
  });

  it('unknown paths: the web app shell for GET (as Phoenix serves it), 501 + violation for documented endpoints the fake lacks', async () => {
    for (const path of ['/v1/nothing-here', '/projects']) {
      const shell = await get(path, {});
      assert.equal(shell.status, 200, path);
      assert.match(shell.headers.get('content-type') ?? '', /^text\/html/);
      assert.match(await shell.text(), /^<!DOCTYPE html>/);
    }
    const posted = await post('/v1/nothing-here', {});
    assert.equal(posted.status, 405);
    const lacking = await get('/v1/datasets');
    assert.equal(lacking.status, 501);
    assert.deepEqual(server.violations, [
      'GET /v1/datasets: documented (/v1/datasets) but not implemented by the fake Phoenix server',
    ]);
    server.violations.length = 0;
  });
});

describe('fake Phoenix server: the OpenAPI guard', () => {
  it('a seeded prompt Phoenix could not hold makes its answer a 500 and a violation', async () => {
    const server = await startFakePhoenix({
      prompts: {
        bad: [
          {
            model_provider: 'NOPE',
            model_name: 'm',
            template_format: 'MUSTACHE',
            template: { type: 'chat', messages: [] },
            invocation_parameters: { type: 'openai', openai: {} },
          },
        ],
      },
    });
    try {
      const res = await fetch(`${server.baseUrl}/v1/prompts/bad/latest`);
      assert.equal(res.status, 500);
      assert.ok(
        server.violations.some((v) =>
          v.startsWith(
            'GET /v1/prompts/{prompt_identifier}/latest: /data/model_provider must be equal to one of the allowed values',
          ),
        ),
        server.violations.join('\n'),
      );
    } finally {
      await server.close();
    }
  });

  it('without an API key no Authorization is needed; OTLP/JSON is taken when acceptOtlpJson is set; no UI: 404', async () => {
    const [json] = readOtlpFixture(join(FIXTURES, 'otlp', 'openinference-openai-single.json'));
    const spanId = (
      JSON.parse(json.body.toString('utf8')) as { resourceSpans: { scopeSpans: { spans: { spanId: string }[] }[] }[] }
    ).resourceSpans[0].scopeSpans[0].spans[0].spanId;
    const server = await startFakePhoenix({
      acceptOtlpJson: true,
      serveUi: false,
      spanAnnotations: [{ span_id: spanId, name: 'seeded', annotator_kind: 'HUMAN', result: { label: 'good' } }],
    });
    try {
      const res = await fetch(`${server.baseUrl}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: new Uint8Array(json.body),
      });
      assert.equal(res.status, 200);
      const traces = (await (await fetch(`${server.baseUrl}/v1/projects/default/traces`)).json()) as Page<Json>;
      assert.equal(traces.data.length, 1);
      const seeded = (await (
        await fetch(`${server.baseUrl}/v1/projects/default/span_annotations?span_ids=${spanId}`)
      ).json()) as Page<Json>;
      assert.deepEqual(
        seeded.data.map((a) => [a.name, (a.result as Json).label]),
        [['seeded', 'good']],
      );
      const unknown = await fetch(`${server.baseUrl}/v1/nothing-here`);
      assert.equal(unknown.status, 404);
      assert.equal(await unknown.text(), 'Not Found');
      assert.deepEqual(server.violations, []);
    } finally {
      await server.close();
    }
  });
});
