// Reads our recorded OTLP trace fixtures as the bodies an exporter sent: the Python recordings
// (test/fixtures/python/*.json: {"exports": [{path, contentType, bodyBase64}]}, protobuf) and the JS
// captures (test/fixtures/otlp/*.json: an array of OTLP/JSON ExportTraceServiceRequest bodies).
// Only /v1/traces bodies are returned; a *.logs.json file or a /v1/logs export is not a trace body.
import { readFileSync } from 'node:fs';

export interface OtlpFixtureBody {
  contentType: 'application/x-protobuf' | 'application/json';
  body: Buffer;
}

export function readOtlpFixture(path: string): OtlpFixtureBody[] {
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as unknown;
  if (Array.isArray(parsed)) {
    return parsed.map((request) => ({ contentType: 'application/json', body: Buffer.from(JSON.stringify(request)) }));
  }
  const exports = (parsed as { exports?: unknown }).exports;
  if (!Array.isArray(exports))
    throw new Error(`${path} is neither an array of OTLP/JSON bodies nor a recording with "exports"`);
  const out: OtlpFixtureBody[] = [];
  for (const e of exports as { path?: string; contentType?: string; bodyBase64?: string }[]) {
    if (e.path !== '/v1/traces') continue;
    if (e.contentType !== 'application/x-protobuf' && e.contentType !== 'application/json')
      throw new Error(`${path}: export with content type ${String(e.contentType)}`);
    out.push({ contentType: e.contentType, body: Buffer.from(e.bodyBase64 ?? '', 'base64') });
  }
  return out;
}
