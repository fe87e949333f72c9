// Phoenix's identifiers and times on the wire: relay GlobalIDs (base64 of "<Type>:<rowid>", as
// strawberry writes them; every id and cursor of the REST API is one) and its UTC datetimes, which
// V1RoutesBaseModel writes with datetime.isoformat() (routers/v1/models.py): "+00:00", six fraction
// digits unless the microseconds are zero.

export type NodeType =
  'Project' | 'Trace' | 'Span' | 'Prompt' | 'PromptVersion' | 'PromptVersionTag' | 'SpanAnnotation' | 'TraceAnnotation';

export function globalId(type: NodeType, rowid: number): string {
  return Buffer.from(`${type}:${rowid}`).toString('base64');
}

/** The rowid of a GlobalID of `type`; undefined when `id` is not one (Phoenix then tries a name). */
export function fromGlobalId(id: string, type: NodeType): number | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(id)) return undefined;
  const match = /^([A-Za-z]+):(\d+)$/.exec(Buffer.from(id, 'base64').toString('utf8'));
  if (!match || match[1] !== type) return undefined;
  return Number(match[2]);
}

/** The node id of any GlobalID, whatever its type (Phoenix's cursors only read GlobalID.node_id). */
export function cursorRowid(cursor: string): number | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(cursor)) return undefined;
  const match = /^[^:]+:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  return match ? Number(match[1]) : undefined;
}

/** Microseconds since the epoch (Phoenix keeps datetimes to the microsecond) of OTLP nanoseconds. */
export function nanosToMicros(nanos: string): number {
  return Number((BigInt(nanos) + 500n) / 1000n);
}

/** Python's isoformat() of a UTC datetime: 2026-03-01T10:00:00.123456+00:00, no fraction when it is zero. */
export function isoMicros(micros: number): string {
  const ms = Math.floor(micros / 1000);
  const base = new Date(ms).toISOString().slice(0, 19);
  const fraction = micros - Math.floor(micros / 1_000_000) * 1_000_000;
  return fraction === 0 ? `${base}+00:00` : `${base}.${String(fraction).padStart(6, '0')}+00:00`;
}

/** Microseconds of an ISO 8601 time as FastAPI accepts it in a query (naive times count as UTC, as
 *  Phoenix's normalize_datetime(dt, timezone.utc) makes them); undefined when unreadable. */
export function parseIsoMicros(text: string): number | undefined {
  const match = /^(\d{4}-\d\d-\d\d)(?:[T ](\d\d:\d\d(?::\d\d)?)(?:\.(\d{1,6})\d*)?)?(Z|[+-]\d\d:?\d\d)?$/i.exec(
    text.trim(),
  );
  if (!match) return undefined;
  const [, date, time = '00:00:00', fraction = '', zone = 'Z'] = match;
  const ms = Date.parse(
    `${date}T${time.length === 5 ? `${time}:00` : time}${zone.toUpperCase() === 'Z' ? 'Z' : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone}`,
  );
  if (Number.isNaN(ms)) return undefined;
  return ms * 1000 + Number(fraction.padEnd(6, '0'));
}
