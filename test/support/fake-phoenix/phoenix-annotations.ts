// The fake Phoenix server's span and trace annotations, as Phoenix's routers/v1/annotations.py,
// spans.py (POST /v1/span_annotations) and traces.py (POST /v1/trace_annotations) handle them:
// - POST without ?sync=true queues the annotations and answers {"data": []} (the fake stores them at
//   once; they show in GET only while their span/trace exists); with sync=true every target must
//   exist (404 "Spans with IDs ... do not exist.") and the answer lists the inserted GlobalIDs;
// - an annotation is upserted on (name, span or trace, identifier), keeping its id;
// - the name "note" is refused (400), it belongs to the notes endpoints;
// - GET needs span_ids/trace_ids or identifier (422 otherwise), pages newest id first (limit 10 by
//   default, at most 10000), and answers 404 when none of the given ids exists in the project.
import { cursorRowid, globalId, isoMicros } from './phoenix-ids';
import { httpError, intQuery, type Json } from './phoenix-http';
import type { PhoenixStore } from './phoenix-store';
import { projectByIdentifier } from './phoenix-trace-api';

/** An annotation as GET answers it (span_id or trace_id set by the kind). */
export interface FakePhoenixAnnotation {
  id: string;
  span_id?: string;
  trace_id?: string;
  name: string;
  annotator_kind: 'LLM' | 'CODE' | 'HUMAN';
  result: { label: string | null; score: number | null; explanation: string | null };
  metadata: Json;
  identifier: string;
  source: 'API' | 'APP';
  user_id: string | null;
  created_at: string;
  updated_at: string;
}

/** A seeded or POSTed annotation (the API's SpanAnnotationData / TraceAnnotationData). */
export interface FakePhoenixAnnotationInput {
  span_id?: string;
  trace_id?: string;
  name: string;
  annotator_kind: 'LLM' | 'CODE' | 'HUMAN';
  result?: { label?: string | null; score?: number | null; explanation?: string | null } | null;
  metadata?: Json | null;
  identifier?: string;
}

type Kind = 'span' | 'trace';

export class PhoenixAnnotationStore {
  readonly span: FakePhoenixAnnotation[] = [];
  readonly trace: FakePhoenixAnnotation[] = [];
  private readonly rowids = new Map<FakePhoenixAnnotation, number>();
  private nextRowid = { span: 1, trace: 1 };

  constructor(
    private readonly store: PhoenixStore,
    private readonly now: () => number = () => Date.now() * 1000,
  ) {}

  /** Stores (upserts) one annotation and returns its row id. */
  upsert(kind: Kind, input: FakePhoenixAnnotationInput): number {
    const list = this[kind];
    const target = kind === 'span' ? input.span_id : input.trace_id;
    const identifier = input.identifier ?? '';
    const key = kind === 'span' ? 'span_id' : 'trace_id';
    const time = isoMicros(this.now());
    const result = {
      label: input.result?.label ?? null,
      score: input.result?.score ?? null,
      explanation: input.result?.explanation ?? null,
    };
    const existing = list.find((a) => a[key] === target && a.name === input.name && a.identifier === identifier);
    if (existing) {
      Object.assign(existing, {
        annotator_kind: input.annotator_kind,
        result,
        metadata: input.metadata ?? {},
        updated_at: time,
      });
      return this.rowids.get(existing)!;
    }
    const rowid = this.nextRowid[kind]++;
    const annotation: FakePhoenixAnnotation = {
      id: globalId(kind === 'span' ? 'SpanAnnotation' : 'TraceAnnotation', rowid),
      [key]: target,
      name: input.name,
      annotator_kind: input.annotator_kind,
      result,
      metadata: input.metadata ?? {},
      identifier,
      source: 'API',
      user_id: null,
      created_at: time,
      updated_at: time,
    };
    list.push(annotation);
    this.rowids.set(annotation, rowid);
    return rowid;
  }

  /** POST /v1/span_annotations or /v1/trace_annotations with a body the OpenAPI schema accepted. */
  post(kind: Kind, body: Json, sync: boolean): Json {
    const data = body.data as FakePhoenixAnnotationInput[];
    if (data.length === 0) return { data: [] };
    if (data.some((d) => d.name === 'note')) {
      throw httpError(400, `The name 'note' is reserved for trace and span notes. Use POST /v1/${kind}_notes instead.`);
    }
    if (!sync) {
      for (const d of data) this.upsert(kind, d);
      return { data: [] };
    }
    const targets = new Set(data.map((d) => (kind === 'span' ? d.span_id : d.trace_id) ?? ''));
    const missing = [...targets].filter((t) =>
      kind === 'span' ? !this.store.spans.some((s) => s.spanId === t) : !this.store.traces.some((x) => x.traceId === t),
    );
    if (missing.length)
      throw httpError(404, `${kind === 'span' ? 'Spans' : 'Traces'} with IDs ${missing.join(', ')} do not exist.`);
    const type = kind === 'span' ? 'SpanAnnotation' : 'TraceAnnotation';
    return { data: data.map((d) => ({ id: globalId(type, this.upsert(kind, d)) })) };
  }

  /** GET /v1/projects/{id}/span_annotations or /trace_annotations. */
  list(kind: Kind, projectIdentifier: string, q: URLSearchParams): Json {
    const limit = intQuery(q, 'limit', 10, { gt: 0, le: 10000 });
    const idParam = kind === 'span' ? 'span_ids' : 'trace_ids';
    const ids = [...new Set(q.getAll(idParam))];
    if (ids.length > 1000) throw httpError(422, `Too many ${idParam} supplied: ${ids.length} (max 1000)`);
    const identifiers = [...new Set(q.getAll('identifier'))];
    const include = q.getAll('include_annotation_names');
    const exclude = q.getAll('exclude_annotation_names');
    if (ids.length === 0 && identifiers.length === 0)
      throw httpError(422, `At least one of ${idParam} or identifier must be supplied`);
    const project = projectByIdentifier(this.store, projectIdentifier);
    const inProject = new Set(
      kind === 'span'
        ? this.store.spans
            .filter((s) => this.store.traceByRowid(s.traceRowid)?.projectRowid === project.rowid)
            .map((s) => s.spanId)
        : this.store.traces.filter((t) => t.projectRowid === project.rowid).map((t) => t.traceId),
    );
    const key = kind === 'span' ? 'span_id' : 'trace_id';
    let rows = this[kind]
      .filter(
        (a) =>
          inProject.has(a[key]!) &&
          (ids.length === 0 || ids.includes(a[key]!)) &&
          (identifiers.length === 0 || identifiers.includes(a.identifier)) &&
          (include.length === 0 || include.includes(a.name)) &&
          !exclude.includes(a.name),
      )
      .sort((a, b) => this.rowids.get(b)! - this.rowids.get(a)!);
    const cursor = q.get('cursor');
    if (cursor) {
      const c = cursorRowid(cursor);
      if (c === undefined) throw httpError(422, 'Invalid cursor value');
      rows = rows.filter((a) => this.rowids.get(a)! <= c);
    }
    const next = rows.length > limit ? rows[limit].id : null;
    rows = rows.slice(0, limit);
    if (rows.length === 0) {
      if (ids.length && identifiers.length === 0 && !ids.some((id) => inProject.has(id))) {
        throw httpError(404, `None of the supplied ${idParam} exist in this project`);
      }
      return { data: [], next_cursor: null };
    }
    return { data: rows.map((a) => ({ ...a, result: { ...a.result }, metadata: a.metadata })), next_cursor: next };
  }
}
