// The key property of replay: with no overrides, the request the provider layer sends equals the
// request the application sent. Real instrumented apps (test/apps) call the fake LLM server through
// the official SDKs while our receiver records their traces; each normalized LLM call is then
// rebuilt, executed through the real SDKs against the same server, and the two bodies compared.
import assert from 'node:assert/strict';
import { createLlmGateway } from '../../../src/core/llm/llm-gateway';
import type { BuiltRequest, LlmGateway } from '../../../src/core/llm/llm-types';
import { targetForRecorded } from '../../../src/core/llm/model-target';
import type { LlmCall } from '../../../src/core/model/trace';
import { APP_SCENARIOS, scriptFor, type AppName, type Scenario } from '../../apps/app-matrix';
import { startRecordedWorld, type RecordedWorld } from './recorded-world';

type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- request bodies are indexed freely

/** Fields an app echoes back from an SDK response object (`messages.push(completion.message)`);
 *  they are response-only, the API ignores them, and no instrumentation records them. */
function withoutEchoedResponseFields(body: Body): Body {
  if (!Array.isArray(body.messages)) return body;
  const messages = body.messages.map((m: Body) => {
    if (m.role !== 'assistant') return m;
    const { refusal, annotations, ...rest } = m; // eslint-disable-line @typescript-eslint/no-unused-vars
    return rest;
  });
  return { ...body, messages };
}

/** [{type:'text',text}] -> text: the content shape is not part of the recorded call. */
function collapseText(content: unknown): unknown {
  if (Array.isArray(content) && content.length === 1 && content[0]?.type === 'text') return content[0].text;
  return content;
}

/** The built body as the wire carries it: Gemini's `model` travels in the URL, not the body. */
function wireBody(built: BuiltRequest): Body {
  if (built.api !== 'gemini.generate_content') return built.body;
  const { model, ...rest } = built.body; // eslint-disable-line @typescript-eslint/no-unused-vars
  return rest;
}

/**
 * Where a recording cannot give back the exact request, and why. Each entry turns the original
 * body into what the recording still determines, so the rest is still compared exactly.
 */
const KNOWN_DIFFERENCES: Partial<
  Record<AppName, { reason: string; expected: (b: Body, s: Scenario, call: LlmCall) => Body }>
> = {
  'traceloop-openai': {
    reason: 'Traceloop (OpenAI) drops temperature 0, does not record stream/stream_options or Responses `instructions`',
    expected: (b, s) => {
      const out = { ...b };
      if (out.temperature === 0) delete out.temperature;
      if (s === 'stream') {
        delete out.stream;
        delete out.stream_options;
      }
      if (s === 'responses') delete out.instructions;
      return out;
    },
  },
  'traceloop-anthropic': {
    reason: 'Traceloop (Anthropic) does not record tool definitions',
    expected: (b) => {
      const out = { ...b };
      delete out.tools;
      return out;
    },
  },
  'vercel-ai-anthropic': {
    reason:
      '@ai-sdk/anthropic (not the official SDK) writes single texts as one-block arrays; the recorded call keeps the text, not its shape',
    expected: (b) => ({
      ...b,
      ...(b.system !== undefined ? { system: collapseText(b.system) } : {}),
      messages: b.messages.map((m: Body) => ({ ...m, content: collapseText(m.content) })),
    }),
  },
  'vercel-ai-openai': {
    reason:
      '@ai-sdk/openai sends the Responses system prompt as an input message and the user text as an input_text array; we send instructions + a plain input string',
    expected: (b, s) => {
      if (s !== 'responses') return b;
      const [system, user] = b.input as Body[];
      const { input, ...rest } = b; // eslint-disable-line @typescript-eslint/no-unused-vars
      return { ...rest, instructions: system.content, input: user.content[0].text };
    },
  },
  'otel-openai': {
    reason: '@opentelemetry/instrumentation-openai records no tool definitions and no stream/stream_options',
    expected: (b) => {
      const { tools, stream, stream_options, ...rest } = b; // eslint-disable-line @typescript-eslint/no-unused-vars
      return rest;
    },
  },
  'vercel-ai-google': {
    reason:
      "the recording keeps the app's JSON Schema (sent as parametersJsonSchema) and the bare tool output, not @ai-sdk/google's own `parameters` conversion or its {name, content} functionResponse wrapper; the system instruction goes with role user, as the official Google SDKs send it (@ai-sdk/google sends none)",
    expected: (b, _s, call) => {
      const schemas = new Map((call.tools ?? []).map((t) => [t.name, t.parameters]));
      const declaration = ({ parameters, ...d }: Body): Body => ({ ...d, parametersJsonSchema: schemas.get(d.name) }); // eslint-disable-line @typescript-eslint/no-unused-vars
      const tools = (b.tools as Body[] | undefined)?.map((t) => ({
        ...t,
        functionDeclarations: t.functionDeclarations.map(declaration),
      }));
      const unwrapped = (p: Body): Body =>
        p.functionResponse === undefined
          ? p
          : { functionResponse: { ...p.functionResponse, response: p.functionResponse.response.content } };
      const contents = (b.contents as Body[]).map((c) => ({ ...c, parts: c.parts.map(unwrapped) }));
      const systemInstruction =
        b.systemInstruction === undefined
          ? {}
          : { systemInstruction: { ...(b.systemInstruction as Body), role: 'user' } };
      return { ...b, contents, ...(tools !== undefined ? { tools } : {}), ...systemInstruction };
    },
  },
};

/** Scenarios with nothing to compare: the library recorded no message content (the replay engine
 *  refuses them before any request; test/unit/replay/replay-otel-logs.test.ts). */
const NO_CONTENT: Scenario[] = ['single-nocontent'];

/** Apps whose recordings give back the exact request (after removing echoed response fields). */
const EXACT: AppName[] = ['openinference-openai', 'openinference-anthropic'];

describe('llm provider layer: request equality with no overrides', function () {
  this.timeout(60000);
  let world: RecordedWorld;
  let gateway: LlmGateway;

  before(async () => {
    world = await startRecordedWorld();
    gateway = createLlmGateway(world.configs);
  });
  after(async () => {
    await world.close();
  });

  for (const app of Object.keys(APP_SCENARIOS) as AppName[]) {
    for (const scenario of APP_SCENARIOS[app]) {
      if (NO_CONTENT.includes(scenario)) continue;
      const known = KNOWN_DIFFERENCES[app];
      const label = EXACT.includes(app) ? 'exactly' : known ? `except: ${known.reason}` : 'exactly';
      it(`${app} ${scenario}: the replayed body equals the recorded one ${label}`, async () => {
        const recorded = await world.record(app, scenario);
        world.llm.reset();
        world.llm.enqueue(scriptFor(app, scenario));
        for (const [i, { call, originalBody, originalPath }] of recorded.entries()) {
          const target = targetForRecorded(call, world.configs);
          const built = gateway.build(call, target);
          assert.deepEqual(built.warnings, [], `call ${i}: nothing lost`);
          const execution = await gateway.execute(built, target);
          const sent = world.llm.requests[i].body as Body;
          assert.equal(
            world.llm.requests[i].path,
            originalPath,
            `call ${i}: same endpoint (Gemini: model and streaming are in the path)`,
          );
          assert.deepEqual(sent, wireBody(built), `call ${i}: the SDK sent the built body unchanged`);
          let expected = withoutEchoedResponseFields(originalBody);
          if (known) expected = known.expected(expected, scenario, call);
          assert.deepEqual(sent, expected, `call ${i}: replayed request equals the recorded one`);
          assert.equal(execution.output.text, call.output.text, `call ${i}: same scripted answer`);
          assert.equal(execution.streamed, built.stream);
        }
      });
    }
  }
});
