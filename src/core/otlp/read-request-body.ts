// Reads an HTTP request body with a byte limit that also bounds the gunzipped size, so neither a
// huge upload nor a gzip bomb can make the receiver allocate more than the limit; and, with a
// lease on the receiver's in-flight budget, within what all requests together may hold (RECEIVER_BUSY).

import { UserError } from '../util/user-error';
import type { IncomingMessage } from 'node:http';
import { gunzip } from 'node:zlib';
import type { BudgetLease } from './in-flight-budget';

export type BodyReadErrorCode = 'BODY_TOO_LARGE' | 'BODY_BAD_GZIP' | 'BODY_ABORTED' | 'RECEIVER_BUSY';

export class BodyReadError extends UserError {
  override readonly name = 'BodyReadError';
  constructor(
    readonly code: BodyReadErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const BUSY = 'The trace receiver is busy: the request bodies it is reading already fill its in-flight byte budget';

/** Reads the body; with a lease, every byte held (raw, then inflated) is first taken from the
 *  budget, and the lease ends holding the size of the returned body. */
export async function readRequestBody(
  req: IncomingMessage,
  maxBytes: number,
  gzipped: boolean,
  lease?: BudgetLease,
): Promise<Buffer> {
  const raw = await readRaw(req, maxBytes, lease);
  if (!gzipped) return raw;
  if (lease === undefined) return gunzipLimited(raw, maxBytes, maxBytes);
  // The inflated body may take what the budget has left, up to the body limit; the raw bytes stay
  // held while zlib works.
  const room = Math.min(maxBytes, lease.budget.available);
  if (room <= 0 || !lease.resize(raw.length + room)) throw new BodyReadError('RECEIVER_BUSY', `${BUSY}; retry later.`);
  const body = await gunzipLimited(raw, maxBytes, room);
  lease.resize(body.length);
  return body;
}

/** Reads and drops what is left of a body, resolving once the client has sent it all (or gone).
 *  Answering before that would close a `Connection: close` socket with unread input: the kernel
 *  then resets it, and the client sees EPIPE/ECONNRESET instead of the answer (an OTLP exporter
 *  drops the batch on a network error, but retries on a 503). */
export function discardRestOfBody(req: IncomingMessage): Promise<void> {
  if (req.complete || req.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    req.once('end', () => resolve());
    req.once('close', () => resolve());
    req.resume();
  });
}

function readRaw(req: IncomingMessage, maxBytes: number, lease: BudgetLease | undefined): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
    };
    const stop = (error: BodyReadError): void => {
      cleanup();
      chunks.length = 0;
      lease?.resize(0);
      // Keep reading and discarding: closing a socket with unread input makes the kernel send a
      // reset that can destroy our answer before the client reads it.
      req.resume();
      reject(error);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > maxBytes)
        return stop(new BodyReadError('BODY_TOO_LARGE', `The request body exceeds the limit of ${maxBytes} bytes.`));
      if (lease && !lease.ensure(size)) return stop(new BodyReadError('RECEIVER_BUSY', `${BUSY}; retry later.`));
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (): void => {
      cleanup();
      reject(new BodyReadError('BODY_ABORTED', 'The client aborted the request.'));
    };
    const onAborted = onError;
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });
}

/** Inflates at most `room` bytes (<= maxBytes): past maxBytes the body is too large, past a smaller
 *  room the budget is full. */
function gunzipLimited(raw: Buffer, maxBytes: number, room: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // maxOutputLength makes zlib stop inflating as soon as the output would pass the limit.
    gunzip(raw, { maxOutputLength: Math.max(1, room) }, (error, result) => {
      if (error === null) {
        resolve(result);
      } else if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        reject(
          room < maxBytes
            ? new BodyReadError(
                'RECEIVER_BUSY',
                `${BUSY} (the decompressed body does not fit next to them); retry later.`,
              )
            : new BodyReadError(
                'BODY_TOO_LARGE',
                `The decompressed request body exceeds the limit of ${maxBytes} bytes.`,
              ),
        );
      } else {
        reject(new BodyReadError('BODY_BAD_GZIP', `The request body is not valid gzip: ${error.message}`));
      }
    });
  });
}
