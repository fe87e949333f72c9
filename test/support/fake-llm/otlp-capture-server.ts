// A bare OTLP/HTTP JSON sink that keeps the exact bodies POSTed to /v1/traces, for capturing fixtures.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface OtlpCaptureServer {
  /** http://127.0.0.1:<port>/v1/traces */
  readonly endpoint: string;
  /** Parsed request bodies in arrival order. */
  readonly bodies: unknown[];
  close(): Promise<void>;
}

export async function startOtlpCaptureServer(): Promise<OtlpCaptureServer> {
  const bodies: unknown[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/traces' || !(req.headers['content-type'] ?? '').includes('json')) {
        res.writeHead(415, { 'content-type': 'application/json' });
        res.end('{}');
        return;
      }
      bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`,
    bodies,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
