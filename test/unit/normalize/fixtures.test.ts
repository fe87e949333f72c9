// Real OTLP captured from the instrumentation libraries (test/fixtures/otlp): every model call is
// exactly one llm span with its conversation, and usage is never counted twice.
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Span } from '../../../src/core/model/trace';
import { decodeOtlpJson } from '../../../src/core/otlp/decode-otlp-json';
import { decodeOtlpLogsJson } from '../../../src/core/otlp/decode-otlp-logs';
import { assembleTrace, summarizeTrace } from '../../../src/core/normalize/assemble-trace';
import { normalizeSpan } from '../../../src/core/normalize/normalize-span';
import { applyLogEvents, classifyLogRecord } from '../../../src/core/store/log-events';

const dir = join(__dirname, '../../fixtures/otlp');
// `<app>-<scenario>.logs.json` are the OTLP log bodies of the same run (otel-openai: its content
// arrives as log records); they are joined to their spans as the store does.
const files = readdirSync(dir).filter((f) => f.endsWith('.json') && !f.endsWith('.logs.json'));
const CALLS: Record<string, number> = { single: 1, chain: 2, agent: 2, stream: 1, responses: 1, nocontent: 1 };

/** The spans with the sibling logs file's GenAI log records joined, as the store joins them. */
function withLogs(file: string, spans: Span[]): Span[] {
  const logsFile = join(dir, file.replace(/\.json$/, '.logs.json'));
  if (!existsSync(logsFile)) return spans;
  const records = (JSON.parse(readFileSync(logsFile, 'utf8')) as unknown[]).flatMap(
    (b) => decodeOtlpLogsJson(b).records,
  );
  const events = records.map(classifyLogRecord).flatMap((c) => (c.kind === 'event' ? [c.value] : []));
  assert.equal(events.length, records.length, 'every log record is a GenAI event of a span');
  const joined = applyLogEvents(spans, events);
  assert.equal(joined.joined, events.length, 'every log record found its span');
  return joined.spans;
}

describe('normalize: captured OTLP fixtures', () => {
  for (const file of files) {
    it(file, () => {
      const bodies = JSON.parse(readFileSync(join(dir, file), 'utf8')) as unknown[];
      const spans = withLogs(file, bodies.flatMap((b) => decodeOtlpJson(b).spans).map(normalizeSpan));
      const trace = assembleTrace(spans);
      const llm = trace.spans.filter((s) => s.kind === 'llm');
      const scenario = file
        .replace(/\.json$/, '')
        .split('-')
        .pop()!;
      assert.equal(llm.length, CALLS[scenario], 'one llm span per model call');
      if (scenario === 'nocontent') {
        // Content capture was off: no text is known, and the span says why.
        assert.ok(llm[0].llm!.messages.every((m) => m.parts.length === 0));
        assert.equal(llm[0].llm!.output.text, '');
        assert.match(llm[0].warnings?.join() ?? '', /OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT/);
        assert.equal(summarizeTrace(trace, 0).outputTokens, 9);
        return;
      }
      for (const s of llm) {
        assert.ok(
          s.llm!.messages.some((m) => m.role === 'user'),
          `${s.name}: has the user message`,
        );
        assert.ok(s.llm!.output.text || s.llm!.output.toolCalls.length, `${s.name}: has output`);
        assert.notEqual(s.llm!.api, 'unknown', `${s.name}: api`);
        assert.equal(s.warnings, undefined);
      }
      const summary = summarizeTrace(trace, 0);
      const expectedOut = scenario === 'chain' || scenario === 'agent' ? 21 : 9;
      // OpenAI streams carry no usage unless the app asks for it, so those may record none.
      if (scenario === 'stream' && file.includes('openai'))
        assert.ok(summary.outputTokens <= expectedOut, 'never counted twice');
      else assert.equal(summary.outputTokens, expectedOut, 'output tokens counted once per call');
      // The otel-openai app's own tool span carries no attributes at all (nothing marks it as a tool).
      if (scenario === 'agent' && !file.startsWith('otel-openai-')) {
        const tools = trace.spans.filter((s) => s.kind === 'tool');
        assert.equal(tools.length, 1);
        assert.equal(tools[0].toolName?.includes('get_weather'), true);
      }
    });
  }
});
