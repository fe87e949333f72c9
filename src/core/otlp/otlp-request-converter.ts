// ExportTraceServiceRequest (as a plain object in OTLP/JSON shape) -> RawSpan[]. Both decoders end
// here. A bad span is rejected on its own with a reason; only a broken envelope (resourceSpans,
// scopeSpans or spans of the wrong type) fails the whole request, since then nothing can be
// attributed to a span.

import type { Attributes, RawSpan, SpanEvent, SpanLink, SpanStatus } from '../model/trace';
import { OtlpDecodeError } from './otlp-errors';
import {
  field,
  isPlainObject,
  keyValuesToAttributes,
  readId,
  readNanos,
  ValueNotes,
  type ValueNote,
} from './otlp-values';

export interface OtlpRejectedSpan {
  traceId?: string;
  spanId?: string;
  reason: string;
}

/** A span kept with a value not as sent (see ValueNote); `reason` says which and why. */
export type OtlpSpanWarning = OtlpRejectedSpan;

export interface OtlpDecodeResult {
  spans: RawSpan[];
  rejected: OtlpRejectedSpan[];
  /** Present when some kept span or resource has a value not kept as sent. */
  warnings?: OtlpSpanWarning[];
}

export function convertExportRequest(request: unknown): OtlpDecodeResult {
  if (!isPlainObject(request)) {
    throw new OtlpDecodeError(
      'INVALID_STRUCTURE',
      'The request body must be an ExportTraceServiceRequest object with "resourceSpans".',
    );
  }
  const result: OtlpDecodeResult = { spans: [], rejected: [] };
  const warn = (warning: OtlpSpanWarning): void => {
    (result.warnings ??= []).push(warning);
  };
  const resourceSpans = listAt(field(request, 'resourceSpans'), 'resourceSpans');
  resourceSpans.forEach((rs, i) => {
    const path = `resourceSpans[${i}]`;
    if (!isPlainObject(rs)) throw new OtlpDecodeError('INVALID_STRUCTURE', `${path} must be an object.`);
    const resourceObj = field(rs, 'resource');
    const resourceNotes = new ValueNotes();
    const resource = isPlainObject(resourceObj)
      ? keyValuesToAttributes(field(resourceObj, 'attributes'), 0, resourceNotes.note)
      : {};
    if (resourceNotes.count) warn({ reason: `${path}.resource: ${resourceNotes.text()}` });
    // OTLP before 0.19 named the scope level "instrumentationLibrarySpans"; old exporters still send it.
    const scopeLists: [string, unknown, string][] = [
      ['scopeSpans', field(rs, 'scopeSpans'), 'scope'],
      ['instrumentationLibrarySpans', field(rs, 'instrumentationLibrarySpans'), 'instrumentationLibrary'],
    ];
    for (const [name, list, scopeField] of scopeLists) {
      listAt(list, `${path}.${name}`).forEach((ss, j) => {
        const ssPath = `${path}.${name}[${j}]`;
        if (!isPlainObject(ss)) throw new OtlpDecodeError('INVALID_STRUCTURE', `${ssPath} must be an object.`);
        const scope = readScope(field(ss, scopeField));
        for (const span of listAt(field(ss, 'spans'), `${ssPath}.spans`)) {
          const notes = new ValueNotes();
          const converted = convertSpan(span, resource, scope, notes);
          if ('reason' in converted) {
            result.rejected.push(converted);
          } else {
            result.spans.push(converted);
            if (notes.count) warn({ traceId: converted.traceId, spanId: converted.spanId, reason: notes.text() });
          }
        }
      });
    }
  });
  return result;
}

/** A repeated field: absent/null means empty (proto3 default), anything but an array is a broken envelope. */
function listAt(value: unknown, path: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new OtlpDecodeError('INVALID_STRUCTURE', `${path} must be an array.`);
  return value;
}

function readScope(value: unknown): RawSpan['scope'] {
  if (!isPlainObject(value)) return { name: '' };
  const name = field(value, 'name');
  const version = field(value, 'version');
  const scope: RawSpan['scope'] = { name: typeof name === 'string' ? name : '' };
  if (typeof version === 'string' && version !== '') scope.version = version;
  return scope;
}

function convertSpan(
  span: unknown,
  resource: Attributes,
  scope: RawSpan['scope'],
  notes: ValueNotes,
): RawSpan | OtlpRejectedSpan {
  if (!isPlainObject(span)) return { reason: 'span is not an object' };
  const traceId = readId(field(span, 'traceId'), 16, 'traceId');
  const spanId = readId(field(span, 'spanId'), 8, 'spanId');
  const ids: { traceId?: string; spanId?: string } = {};
  if (traceId.ok) ids.traceId = traceId.hex;
  if (spanId.ok) ids.spanId = spanId.hex;
  const reject = (reason: string): OtlpRejectedSpan => ({ ...ids, reason });
  if (!traceId.ok) return reject(traceId.reason);
  if (!spanId.ok) return reject(spanId.reason);

  let parentSpanId: string | undefined;
  const parentRaw = field(span, 'parentSpanId');
  if (parentRaw !== undefined && parentRaw !== null && parentRaw !== '') {
    const parent = readId(parentRaw, 8, 'parentSpanId');
    // Some exporters write an all-zero parent for a root span; that means "no parent".
    if (parent.ok) parentSpanId = parent.hex;
    else if (!parent.reason.endsWith('all zeros')) return reject(parent.reason);
  }

  const start = readNanos(field(span, 'startTimeUnixNano'));
  const end = readNanos(field(span, 'endTimeUnixNano'));
  if (start === undefined || start === '0') return reject('missing or invalid startTimeUnixNano');
  if (end === undefined || end === '0') return reject('missing or invalid endTimeUnixNano');
  if (BigInt(end) < BigInt(start)) return reject('endTimeUnixNano is before startTimeUnixNano');

  const events = readEvents(field(span, 'events'), notes.note);
  if (typeof events === 'string') return reject(events);
  const links = readLinks(field(span, 'links'), notes.note);
  if (typeof links === 'string') return reject(links);

  const raw: RawSpan = {
    traceId: traceId.hex,
    spanId: spanId.hex,
    name: readName(field(span, 'name')),
    otelKind: readEnum(field(span, 'kind'), SPAN_KINDS),
    startTimeUnixNano: start,
    endTimeUnixNano: end,
    attributes: keyValuesToAttributes(field(span, 'attributes'), 0, notes.note),
    events,
    links,
    status: readStatus(field(span, 'status')),
    resource: { ...resource },
    scope: { ...scope },
  };
  if (parentSpanId !== undefined) raw.parentSpanId = parentSpanId;
  return raw;
}

function readName(value: unknown): string {
  if (typeof value === 'string') return value;
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}

/** Events with an unreadable time make the span unusable for timelines: returns a rejection reason. */
function readEvents(value: unknown, note: ValueNote): SpanEvent[] | string {
  if (!Array.isArray(value)) return [];
  const events: SpanEvent[] = [];
  for (const [i, event] of value.entries()) {
    if (!isPlainObject(event)) return `event ${i} is not an object`;
    const timeRaw = field(event, 'timeUnixNano');
    const time = timeRaw === undefined || timeRaw === null ? '0' : readNanos(timeRaw);
    if (time === undefined) return `event ${i}: invalid timeUnixNano`;
    events.push({
      name: readName(field(event, 'name')),
      timeUnixNano: time,
      attributes: keyValuesToAttributes(field(event, 'attributes'), 0, note),
    });
  }
  return events;
}

function readLinks(value: unknown, note: ValueNote): SpanLink[] | string {
  if (!Array.isArray(value)) return [];
  const links: SpanLink[] = [];
  for (const [i, link] of value.entries()) {
    if (!isPlainObject(link)) return `link ${i} is not an object`;
    const traceId = readId(field(link, 'traceId'), 16, 'traceId');
    if (!traceId.ok) return `link ${i}: ${traceId.reason}`;
    const spanId = readId(field(link, 'spanId'), 8, 'spanId');
    if (!spanId.ok) return `link ${i}: ${spanId.reason}`;
    links.push({
      traceId: traceId.hex,
      spanId: spanId.hex,
      attributes: keyValuesToAttributes(field(link, 'attributes'), 0, note),
    });
  }
  return links;
}

const SPAN_KINDS = [
  'SPAN_KIND_UNSPECIFIED',
  'SPAN_KIND_INTERNAL',
  'SPAN_KIND_SERVER',
  'SPAN_KIND_CLIENT',
  'SPAN_KIND_PRODUCER',
  'SPAN_KIND_CONSUMER',
];
const STATUS_CODES = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'];
const STATUS_NAMES: SpanStatus['code'][] = ['unset', 'ok', 'error'];

/** OTLP/JSON requires integer enums, but the proto3 mapping allows names and exporters use them.
 *  Unknown values fall back to 0 (unspecified/unset), as a proto3 reader would. */
function readEnum(value: unknown, names: string[]): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < names.length) return value;
  if (typeof value === 'string') {
    const byName = names.indexOf(value.toUpperCase());
    if (byName >= 0) return byName;
    if (/^\d+$/.test(value)) return readEnum(Number(value), names);
  }
  return 0;
}

function readStatus(value: unknown): SpanStatus {
  if (!isPlainObject(value)) return { code: 'unset' };
  const status: SpanStatus = { code: STATUS_NAMES[readEnum(field(value, 'code'), STATUS_CODES)] };
  const message = field(value, 'message');
  if (typeof message === 'string' && message !== '') status.message = message;
  return status;
}
