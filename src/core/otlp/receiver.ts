// OTLP/HTTP trace receiver (POST /v1/traces, and POST /v1/logs for the GenAI events instrumentations
// record as log records; JSON or protobuf, optionally gzipped) on 127.0.0.1. It answers every
// request per the OTLP/HTTP spec and survives anything a client sends: all failures become status
// codes, never exceptions out of the request handler. Its resources are bounded: a body limit per
// request, one in-flight byte budget for all requests together (beyond it: 503 with Retry-After,
// which exporters honour), and header/request timeouts that close slow or never-ending clients (408).

import { constants as bufferConstants } from 'node:buffer';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RawSpan } from '../model/trace';
import { decodeOtlpJsonBytes } from './decode-otlp-json';
import { decodeOtlpLogsJsonBytes, decodeOtlpLogsProtobuf } from './decode-otlp-logs';
import { decodeOtlpProtobuf } from './decode-otlp-protobuf';
import { InFlightBudget, type BudgetLease } from './in-flight-budget';
import { OtlpDecodeError, ReceiverStartError } from './otlp-errors';
import { errorMessage } from '../util/error-message';

// Callers that start the receiver catch its start error; exported here so they need one import.
export { ReceiverStartError } from './otlp-errors';
import type { OtlpLogsDecodeResult, RawLogRecord } from './otlp-logs-converter';
import type { OtlpDecodeResult } from './otlp-request-converter';
import {
  describeLogRejections,
  describeLogsOutcome,
  describeLogWarnings,
  describeRejections,
  describeSpanWarnings,
  exportResponse,
  logsExportResponse,
  statusResponse,
  type OtlpEncoding,
  type OtlpLogsOutcome,
  type OtlpResponseBody,
} from './otlp-response';
import { BodyReadError, discardRestOfBody, readRequestBody } from './read-request-body';

export const DEFAULT_OTLP_PORT = 4318;
export const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;
/** The in-flight budget is this many body limits unless set. */
export const DEFAULT_IN_FLIGHT_BODIES = 4;
/** Default time to receive a whole request (headers and body), and the request headers alone. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/** What a 503 for a full budget asks the exporter to wait before retrying. */
export const BUSY_RETRY_AFTER_SECONDS = 2;
export const OTLP_TRACES_PATH = '/v1/traces';
export const OTLP_LOGS_PATH = '/v1/logs';
const HOST = '127.0.0.1';

export type OtlpLogLevel = 'info' | 'warn' | 'error';

export interface OtlpReceiverOptions {
  /** Default 4318; 0 lets the OS pick a free port. */
  port?: number;
  /** Default 16 MiB; applies to the decompressed body too. */
  maxBodyBytes?: number;
  /** Bytes of request bodies (raw and decompressed) all requests together may hold while they are
   *  read, decoded and stored; a request that does not fit is answered 503 with Retry-After.
   *  Default DEFAULT_IN_FLIGHT_BODIES x maxBodyBytes; at least maxBodyBytes. */
  maxInFlightBytes?: number;
  /** Time a client has to send a whole request; then 408 and the connection is closed. Default 30 s. */
  requestTimeoutMs?: number;
  /** Time a client has to send the request headers (at most requestTimeoutMs). Default: requestTimeoutMs. */
  headersTimeoutMs?: number;
  /** Receives the good spans of each request. A throw/rejection answers 503 so the exporter retries. */
  onSpans: (spans: RawSpan[]) => Promise<void> | void;
  /** Receives the good log records of each /v1/logs request and says what became of them (the
   *  counts go into the response). A throw/rejection answers 503. Without it /v1/logs answers 404. */
  onLogRecords?: (records: RawLogRecord[]) => Promise<OtlpLogsOutcome | void> | OtlpLogsOutcome | void;
  onLog?: (level: OtlpLogLevel, message: string) => void;
}

export interface OtlpReceiver {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  readonly port: number;
  /** url + '/v1/traces' */
  readonly endpoint: string;
  /** url + '/v1/logs' */
  readonly logsEndpoint: string;
  close(): Promise<void>;
}

export async function startOtlpReceiver(options: OtlpReceiverOptions): Promise<OtlpReceiver> {
  const requestedPort = options.port ?? DEFAULT_OTLP_PORT;
  // zlib refuses output limits above the largest Buffer.
  const maxBodyBytes = Math.min(options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, bufferConstants.MAX_LENGTH);
  if (!(maxBodyBytes > 0)) throw new RangeError('maxBodyBytes must be a positive number of bytes.');
  const maxInFlightBytes = options.maxInFlightBytes ?? DEFAULT_IN_FLIGHT_BODIES * maxBodyBytes;
  if (!(maxInFlightBytes >= maxBodyBytes)) {
    throw new RangeError(
      `maxInFlightBytes (${maxInFlightBytes}) must be at least maxBodyBytes (${maxBodyBytes}), or no body of the allowed size could ever be read.`,
    );
  }
  const requestTimeout = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const headersTimeout = options.headersTimeoutMs ?? requestTimeout;
  if (!(requestTimeout > 0) || !(headersTimeout > 0) || headersTimeout > requestTimeout) {
    throw new RangeError(
      `The receiver's timeouts must be positive and headersTimeoutMs (${headersTimeout}) at most requestTimeoutMs (${requestTimeout}).`,
    );
  }
  const budget = new InFlightBudget(maxInFlightBytes);
  const log = (level: OtlpLogLevel, message: string): void => {
    try {
      options.onLog?.(level, `[otlp] ${message}`);
    } catch {
      // A failing logger must not take the receiver down.
    }
  };

  const busyLog = throttledBusyLog(log, maxInFlightBytes);
  // Node checks the timeouts every connectionsCheckingInterval; a fraction of the shortest keeps
  // the actual cut-off close to the configured one.
  const connectionsCheckingInterval = Math.max(50, Math.min(1000, Math.floor(headersTimeout / 4)));
  const server = createServer({ requestTimeout, headersTimeout, connectionsCheckingInterval }, (req, res) => {
    const lease = budget.lease();
    // The lease is given back once the answer is out, or when the client goes away first.
    res.once('close', () => lease.release());
    void handleRequest(req, res, {
      maxBodyBytes,
      onSpans: options.onSpans,
      onLogRecords: options.onLogRecords,
      log,
      lease,
      busyLog,
    })
      .catch((error: unknown) => {
        log('error', `Unexpected failure while answering a request: ${errorText(error)}`);
        send(res, statusResponse('json', 500, 'Internal error in the trace receiver.'), 500);
      })
      .finally(() => lease.release());
  });
  // Connection-level errors (resets, parse errors, timeouts) end here; logging them at info keeps a
  // noisy client from looking like a receiver fault.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    const timedOut = error.code === 'ERR_HTTP_REQUEST_TIMEOUT';
    log(
      'info',
      timedOut
        ? `Closed a connection that did not send its request within the timeout (headers ${headersTimeout} ms, whole request ${requestTimeout} ms).`
        : `Client connection error: ${errorText(error)}`,
    );
    if (socket.writable)
      socket.end(
        timedOut
          ? 'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n'
          : 'HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n',
      );
    else socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      server.off('listening', onListening);
      reject(toStartError(error, requestedPort));
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ port: requestedPort, host: HOST });
  });
  server.on('error', (error) => log('error', `Server error: ${errorText(error)}`));

  const port = (server.address() as AddressInfo).port;
  const url = `http://${HOST}:${port}`;
  log(
    'info',
    `Listening for OTLP/HTTP traces on ${url}${OTLP_TRACES_PATH}${options.onLogRecords ? ` and logs on ${url}${OTLP_LOGS_PATH}` : ''}`,
  );
  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    endpoint: url + OTLP_TRACES_PATH,
    logsEndpoint: url + OTLP_LOGS_PATH,
    close(): Promise<void> {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Exporters hold keep-alive connections open; without this close() would wait for them.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

function toStartError(error: NodeJS.ErrnoException, port: number): ReceiverStartError {
  if (error.code === 'EADDRINUSE') {
    return new ReceiverStartError(
      'PORT_IN_USE',
      port,
      `Port ${port} is already in use; pick another port for the OTLP receiver.`,
      { cause: error },
    );
  }
  if (error.code === 'EACCES') {
    return new ReceiverStartError(
      'PERMISSION_DENIED',
      port,
      `Not allowed to listen on port ${port}; pick another port (above 1024) for the OTLP receiver.`,
      { cause: error },
    );
  }
  return new ReceiverStartError(
    'LISTEN_FAILED',
    port,
    `Could not listen on port ${port} (${error.code ?? error.message}); pick another port for the OTLP receiver.`,
    { cause: error },
  );
}

interface HandlerContext {
  maxBodyBytes: number;
  /** This request's share of the in-flight budget. */
  lease: BudgetLease;
  onSpans: OtlpReceiverOptions['onSpans'];
  onLogRecords: OtlpReceiverOptions['onLogRecords'];
  log: (level: OtlpLogLevel, message: string) => void;
  /** Logs a 503 for a full budget (throttled: a burst is one line, then a count). */
  busyLog: (message: string) => void;
}

/** A burst of refusals logs its first one, then at most one line with a count per interval. */
function throttledBusyLog(log: HandlerContext['log'], limit: number, intervalMs = 5000): (message: string) => void {
  let last = -Infinity;
  let unlogged = 0;
  return (message) => {
    const now = Date.now();
    if (now - last < intervalMs) {
      unlogged++;
      return;
    }
    const more = unlogged ? ` (and ${unlogged} more 503s since the last such line)` : '';
    log(
      'warn',
      `Answered 503 (retry after ${BUSY_RETRY_AFTER_SECONDS} s), in-flight budget of ${limit} bytes full: ${message}${more}`,
    );
    last = now;
    unlogged = 0;
  };
}

async function handleRequest(req: IncomingMessage, res: ServerResponse, ctx: HandlerContext): Promise<void> {
  // Without a listener an aborted request's 'error' would be an uncaught exception.
  req.on('error', () => undefined);
  res.on('error', () => undefined);

  const encoding = encodingOf(req.headers['content-type']);
  const fail = (status: number, message: string, headers: Record<string, string> = {}): void => {
    send(res, statusResponse(encoding ?? 'json', status, message), status, headers);
  };

  const path = (req.url ?? '/').split('?')[0];
  const logs = path === OTLP_LOGS_PATH && ctx.onLogRecords !== undefined;
  if (path !== OTLP_TRACES_PATH && !logs) {
    const where = ctx.onLogRecords
      ? `traces at ${OTLP_TRACES_PATH} and logs at ${OTLP_LOGS_PATH}`
      : `traces at ${OTLP_TRACES_PATH}`;
    return fail(404, `Not found: this receiver only accepts ${where}.`);
  }
  const what = logs ? 'logs' : 'traces';
  if (req.method !== 'POST')
    return fail(405, `Method ${req.method ?? ''} not allowed; send ${what} with POST.`, { Allow: 'POST' });
  if (encoding === undefined) {
    return fail(415, 'Unsupported Content-Type; send application/json or application/x-protobuf.');
  }
  const contentEncoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (contentEncoding !== 'identity' && contentEncoding !== 'gzip' && contentEncoding !== 'x-gzip') {
    return fail(415, `Unsupported Content-Encoding "${contentEncoding}"; send gzip or uncompressed bodies.`);
  }
  // Refusals from here on answer once the client has sent its body (read and dropped, never held).
  const refuse = async (status: number, message: string, headers: Record<string, string> = {}): Promise<void> => {
    await discardRestOfBody(req);
    fail(status, message, headers);
  };
  const declared = Number(req.headers['content-length']);
  // Answered at once, unread: a client that announces more than the limit is told before it sends it.
  if (Number.isFinite(declared) && declared > ctx.maxBodyBytes) {
    return fail(413, `The request body (${declared} bytes) exceeds the limit of ${ctx.maxBodyBytes} bytes.`);
  }
  const busy = (message: string): Promise<void> => {
    ctx.busyLog(message);
    return refuse(503, message, { 'Retry-After': String(BUSY_RETRY_AFTER_SECONDS) });
  };
  // A declared length is taken from the budget before the body is read.
  if (Number.isFinite(declared) && declared > 0 && !ctx.lease.ensure(declared)) {
    return busy(
      'The trace receiver is busy: this body does not fit in its in-flight byte budget next to the requests it is reading; retry later.',
    );
  }

  let body: Buffer;
  try {
    body = await readRequestBody(req, ctx.maxBodyBytes, contentEncoding !== 'identity', ctx.lease);
  } catch (error) {
    if (!(error instanceof BodyReadError)) throw error;
    if (error.code === 'BODY_ABORTED') return; // nobody is left to answer
    if (error.code === 'RECEIVER_BUSY') return busy(error.message);
    ctx.log('warn', error.message);
    return refuse(error.code === 'BODY_TOO_LARGE' ? 413 : 400, error.message);
  }

  if (logs) return handleLogs(res, body, encoding, ctx, fail);

  let decoded: OtlpDecodeResult;
  try {
    decoded = encoding === 'json' ? decodeOtlpJsonBytes(body) : decodeOtlpProtobuf(body);
  } catch (error) {
    if (!(error instanceof OtlpDecodeError)) throw error;
    ctx.log('warn', `Rejected a malformed ${encoding} request: ${error.message}`);
    return fail(400, error.message);
  }
  if (decoded.rejected.length > 0) ctx.log('warn', describeRejections(decoded.rejected));
  if (decoded.warnings) ctx.log('warn', describeSpanWarnings(decoded.warnings));

  if (decoded.spans.length > 0) {
    try {
      await ctx.onSpans(decoded.spans);
    } catch (error) {
      ctx.log('error', `Could not store ${decoded.spans.length} received span(s): ${errorText(error)}`);
      return fail(503, 'The trace receiver could not store the spans; retry later.');
    }
  }
  send(res, exportResponse(encoding, decoded.rejected, decoded.warnings), 200);
}

async function handleLogs(
  res: ServerResponse,
  body: Buffer,
  encoding: OtlpEncoding,
  ctx: HandlerContext,
  fail: (status: number, message: string) => void,
): Promise<void> {
  let decoded: OtlpLogsDecodeResult;
  try {
    decoded = encoding === 'json' ? decodeOtlpLogsJsonBytes(body) : decodeOtlpLogsProtobuf(body);
  } catch (error) {
    if (!(error instanceof OtlpDecodeError)) throw error;
    ctx.log('warn', `Rejected a malformed ${encoding} logs request: ${error.message}`);
    return fail(400, error.message);
  }
  if (decoded.rejected.length > 0) ctx.log('warn', describeLogRejections(decoded.rejected));
  if (decoded.warnings) ctx.log('warn', describeLogWarnings(decoded.warnings));
  let outcome: OtlpLogsOutcome = {};
  if (decoded.records.length > 0 && ctx.onLogRecords) {
    try {
      outcome = (await ctx.onLogRecords(decoded.records)) ?? {};
    } catch (error) {
      ctx.log('error', `Could not store ${decoded.records.length} received log record(s): ${errorText(error)}`);
      return fail(503, 'The trace receiver could not store the log records; retry later.');
    }
    // Records dropped from the pending buffer are lost content: worth a warning here too (the
    // counts of every request go back in the response; callers print them as they like).
    if (outcome.droppedLogRecords) ctx.log('warn', `Logs request: ${describeLogsOutcome(outcome)}.`);
  }
  send(res, logsExportResponse(encoding, decoded.rejected, outcome, decoded.warnings), 200);
}

function encodingOf(contentType: string | undefined): OtlpEncoding | undefined {
  const mediaType = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (mediaType === 'application/json') return 'json';
  if (mediaType === 'application/x-protobuf') return 'protobuf';
  return undefined;
}

function send(
  res: ServerResponse,
  response: OtlpResponseBody,
  status: number,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, {
    ...headers,
    'Content-Type': response.contentType,
    'Content-Length': String(response.body.length),
  });
  res.end(response.body);
}

function errorText(error: unknown): string {
  return errorMessage(error);
}
