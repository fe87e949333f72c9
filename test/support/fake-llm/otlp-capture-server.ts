// A bare OTLP/HTTP JSON sink that keeps the exact bodies POSTed to /v1/traces (and, apart, to
// /v1/logs), for capturing fixtures.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface OtlpCaptureServer {
  /** http://127.0.0.1:<port>/v1/traces */
  readonly endpoint: string;
  /** http://127.0.0.1:<port>/v1/logs */
  readonly logsEndpoint: string;
  /** Parsed /v1/traces request bodies in arrival order. */
  readonly bodies: unknown[];
  /** Parsed /v1/logs request bodies (ExportLogsServiceRequest) in arrival order. */
  readonly logBodies: unknown[];
  close(): Promise<void>;
}

export async function startOtlpCaptureServer(): Promise<OtlpCaptureServer> {
  const bodies: unknown[] = [];
  const logBodies: unknown[] = [];
  const sinks: Record<string, unknown[]> = { '/v1/traces': bodies, '/v1/logs': logBodies };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const sink = sinks[req.url ?? ''];
      if (req.method !== 'POST' || sink === undefined || !(req.headers['content-type'] ?? '').includes('json')) {
        res.writeHead(415, { 'content-type': 'application/json' });
        res.end('{}');
        return;
      }
      sink.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint: `${base}/v1/traces`,
    logsEndpoint: `${base}/v1/logs`,
    bodies,
    logBodies,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
