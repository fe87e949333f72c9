// A bare OTLP/HTTP sink that keeps every export request exactly as it arrived (path, content type,
// body bytes), whatever its encoding (protobuf or JSON), for recording fixtures from exporters that
// are not ours (the Python SDK's). It answers 200 with an empty response of the request's encoding,
// which OTLP/HTTP defines as "all accepted". Anything else (another path or method, a compressed
// body) is answered 4xx and kept in `rejected`, so the recorder can fail loudly instead of saving a
// partial export.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export type OtlpSignalPath = '/v1/traces' | '/v1/logs' | '/v1/metrics';

export interface RawOtlpExport {
  path: OtlpSignalPath;
  /** The content-type header as sent (application/x-protobuf or application/json). */
  contentType: string;
  body: Buffer;
}

export interface OtlpRawCaptureServer {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  /** url + '/v1/traces' */
  readonly tracesEndpoint: string;
  /** url + '/v1/logs' */
  readonly logsEndpoint: string;
  /** Accepted export requests in arrival order. */
  readonly exports: RawOtlpExport[];
  /** Requests that were refused, with why. */
  readonly rejected: string[];
  close(): Promise<void>;
}

const PATHS = new Set<string>(['/v1/traces', '/v1/logs', '/v1/metrics']);

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startOtlpRawCaptureServer(): Promise<OtlpRawCaptureServer> {
  const exports: RawOtlpExport[] = [];
  const rejected: string[] = [];
  const server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const path = (req.url ?? '/').split('?')[0];
      const contentType = req.headers['content-type'] ?? '';
      const encoding = req.headers['content-encoding'];
      const json = contentType.includes('json');
      let refusal: string | undefined;
      if (req.method !== 'POST' || !PATHS.has(path)) refusal = `${req.method ?? '?'} ${path}: not an OTLP export path`;
      else if (encoding !== undefined && encoding !== 'identity')
        refusal = `${path}: content-encoding ${encoding} is not kept raw; turn the exporter's compression off`;
      else if (!json && !contentType.includes('protobuf'))
        refusal = `${path}: unexpected content-type '${contentType}'`;
      if (refusal !== undefined) {
        rejected.push(refusal);
        res.writeHead(refusal.includes('not an OTLP') ? 404 : 415, { 'content-type': 'text/plain' });
        res.end(refusal);
        return;
      }
      exports.push({ path: path as OtlpSignalPath, contentType, body });
      res.writeHead(200, { 'content-type': json ? 'application/json' : 'application/x-protobuf' });
      res.end(json ? '{}' : Buffer.alloc(0));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    tracesEndpoint: `${url}/v1/traces`,
    logsEndpoint: `${url}/v1/logs`,
    exports,
    rejected,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
