// Reads an HTTP request body with a byte limit that also bounds the gunzipped size, so neither a
// huge upload nor a gzip bomb can make the receiver allocate more than the limit.

import type { IncomingMessage } from 'node:http';
import { gunzip } from 'node:zlib';

export type BodyReadErrorCode = 'too-large' | 'bad-gzip' | 'aborted';

export class BodyReadError extends Error {
  override readonly name = 'BodyReadError';
  constructor(
    readonly code: BodyReadErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export async function readRequestBody(req: IncomingMessage, maxBytes: number, gzipped: boolean): Promise<Buffer> {
  const raw = await readRaw(req, maxBytes);
  return gzipped ? gunzipLimited(raw, maxBytes) : raw;
}

function readRaw(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > maxBytes) {
        cleanup();
        chunks.length = 0;
        // Keep reading and discarding: closing a socket with unread input makes the kernel send a
        // reset that can destroy our 413 before the client reads it.
        req.resume();
        reject(new BodyReadError('too-large', `The request body exceeds the limit of ${maxBytes} bytes.`));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (): void => {
      cleanup();
      reject(new BodyReadError('aborted', 'The client aborted the request.'));
    };
    const onAborted = onError;
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });
}

function gunzipLimited(raw: Buffer, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // maxOutputLength makes zlib stop inflating as soon as the output would pass the limit.
    gunzip(raw, { maxOutputLength: Math.max(1, maxBytes) }, (error, result) => {
      if (error === null) {
        resolve(result);
      } else if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        reject(new BodyReadError('too-large', `The decompressed request body exceeds the limit of ${maxBytes} bytes.`));
      } else {
        reject(new BodyReadError('bad-gzip', `The request body is not valid gzip: ${error.message}`));
      }
    });
  });
}
