// One stored trace: the document `<store>/traces/<id>.json` holds ({ version, trace }) and the check
// that a file read back really is one (anything else is a corrupt document, see store-errors.ts).
import type { Trace } from '../model/trace';
import { TRACE_DOCUMENT_VERSION } from './store-layout';

export interface TraceDocument {
  version: typeof TRACE_DOCUMENT_VERSION;
  trace: Trace;
}

export function isTraceDocument(v: unknown): v is TraceDocument {
  if (typeof v !== 'object' || v === null) return false;
  const d = v as { version?: unknown; trace?: Partial<Trace> | null };
  return (
    d.version === TRACE_DOCUMENT_VERSION &&
    typeof d.trace === 'object' &&
    d.trace !== null &&
    typeof d.trace.id === 'string' &&
    typeof d.trace.name === 'string' &&
    typeof d.trace.startTime === 'number' &&
    typeof d.trace.endTime === 'number' &&
    Array.isArray(d.trace.spans)
  );
}
