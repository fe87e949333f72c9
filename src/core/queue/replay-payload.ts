// What travels through Redis between a submitter and a worker, versioned. A job carries everything
// the replay needs that lives on the submitter's side — the normalized original trace, the overrides,
// the resolved prompt template, the tool definitions found in the submitter's store or file, the
// evaluator configuration — and never a key or a provider base URL: those come from the worker's
// own environment. The result carries the finished job and the replayed trace.
import type { EvaluatorConfig } from '../eval/evaluator-types';
import type { ToolDefinition, Trace } from '../model/trace';
import type { PromptTemplate } from '../prompts/prompt-template';
import type { ReplayJob } from '../replay/replay-types';
import { UserError } from '../util/user-error';

/** 2: the overrides may name a fork span (fromSpanId) and a tool policy, which a version-1 worker
 *  would ignore, so it refuses these payloads; a version-1 payload cannot carry them and reads the same. */
export const REPLAY_PAYLOAD_VERSION = 2;
const READABLE_VERSIONS: readonly unknown[] = [1, REPLAY_PAYLOAD_VERSION];

export interface PayloadTemplate {
  template: PromptTemplate;
  /** The template file's name (its base name is a prompt name it answers to). */
  fileName?: string;
}

export interface PayloadTools {
  /** Definitions recorded in other traces of the submitter's store, by tool name. */
  catalog: { name: string; definition: ToolDefinition; where: string }[];
  /** The user's tool-definitions file (overrides.toolsPath), read on the submitter. */
  file?: { path: string; tools: ToolDefinition[] };
}

export interface PayloadEvaluation {
  configs: EvaluatorConfig[];
  /** Problems of the submitter's evaluator config, reported with the scores. */
  configErrors: { evaluatorId: string; reason: string }[];
}

export interface ReplayPayload {
  version: typeof REPLAY_PAYLOAD_VERSION;
  /** The job as the submitter stored it (PENDING): its id names the replayed trace and spans, so a
   *  job run twice (a stalled worker) writes the same trace, once. */
  job: ReplayJob;
  trace: Trace;
  template?: PayloadTemplate;
  tools: PayloadTools;
  /** Absent: the job is not scored. */
  evaluation?: PayloadEvaluation;
}

export interface ReplayResultPayload {
  version: typeof REPLAY_PAYLOAD_VERSION;
  job: ReplayJob;
  /** Present once the job got as far as writing it. */
  replayTrace?: Trace;
  /** Which worker ran it (host:pid). */
  worker: string;
}

export class PayloadVersionError extends UserError {
  readonly code = 'QUEUE_PAYLOAD_VERSION';
  constructor(found: unknown) {
    super(
      `The job was queued by another version of trace-replay (payload version ${JSON.stringify(found)}, this worker reads ${REPLAY_PAYLOAD_VERSION}); run workers and submitters of the same version.`,
    );
    this.name = 'PayloadVersionError';
  }
}

export class PayloadShapeError extends UserError {
  readonly code = 'QUEUE_PAYLOAD_INVALID';
  constructor(what: string) {
    super(`The queued job is not a trace-replay job (${what}); only trace-replay submitters may use this queue.`);
    this.name = 'PayloadShapeError';
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Checks what a worker took from the queue; throws PayloadVersionError / PayloadShapeError. */
export function readReplayPayload(data: unknown): ReplayPayload {
  if (!isObject(data)) throw new PayloadShapeError('not an object');
  if (!READABLE_VERSIONS.includes(data.version)) throw new PayloadVersionError(data.version);
  const { job, trace, tools } = data;
  if (!isObject(job) || typeof job.id !== 'string' || typeof job.traceId !== 'string' || !isObject(job.overrides))
    throw new PayloadShapeError('no job');
  if (!isObject(trace) || typeof trace.id !== 'string' || !Array.isArray(trace.spans))
    throw new PayloadShapeError('no trace');
  if (!isObject(tools) || !Array.isArray(tools.catalog)) throw new PayloadShapeError('no tool catalog');
  return data as unknown as ReplayPayload;
}

/** The job id a payload names, when it names one (to report a payload that cannot be read). */
export function payloadJobId(data: unknown): string | undefined {
  const job = isObject(data) ? data.job : undefined;
  return isObject(job) && typeof job.id === 'string' ? job.id : undefined;
}
