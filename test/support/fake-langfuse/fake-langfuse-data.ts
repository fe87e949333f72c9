// What the fake Langfuse server holds, and how it answers the v2 observations field groups.
import type {
  LangfuseChatMessage,
  ObservationV2,
  ScoreV3,
} from '../../../src/core/sources/langfuse/langfuse-api-types';

/** An observation as stored: every field, with the model in `model` as the real server sends it. */
export type FakeObservation = ObservationV2;

export interface FakePromptVersion {
  name: string;
  version: number;
  type: 'text' | 'chat';
  prompt: string | LangfuseChatMessage[];
  labels: string[];
  tags?: string[];
  config?: unknown;
  updatedAt?: string;
}

export type FakeScore = ScoreV3;

const GROUPS: Record<string, (keyof ObservationV2)[]> = {
  core: ['id', 'traceId', 'startTime', 'endTime', 'projectId', 'parentObservationId', 'type'],
  basic: ['name', 'level', 'statusMessage', 'version', 'environment', 'userId', 'sessionId', 'isRootObservation'],
  time: ['completionStartTime', 'createdAt', 'updatedAt'],
  io: ['input', 'output'],
  metadata: ['metadata'],
  model: ['model', 'internalModelId', 'modelParameters'],
  usage: ['usageDetails', 'costDetails', 'totalCost'],
  prompt: ['promptId', 'promptName', 'promptVersion'],
  metrics: ['latency', 'timeToFirstToken'],
  trace_context: ['tags', 'release', 'traceName'],
};
export const FIELD_GROUPS = Object.keys(GROUPS);

export interface ProjectionOptions {
  /** Where the model name goes: the real server's `model` (default) or the OpenAPI's `providedModelName`. */
  modelField: 'model' | 'providedModelName';
}

/** The observation with only the requested groups, shaped like the real answer: io as raw strings,
 *  model price fields always present (null unless the model group is asked for). */
export function project(o: FakeObservation, groups: string[], options: ProjectionOptions): Record<string, unknown> {
  const out: Record<string, unknown> = { modelId: null, inputPrice: null, outputPrice: null, totalPrice: null };
  const source = o as unknown as Record<string, unknown>;
  for (const g of ['core', ...groups]) {
    for (const key of GROUPS[g] ?? []) {
      let value = source[key];
      if (key === 'isRootObservation') value = o.parentObservationId === null;
      if (key === 'model') {
        out[options.modelField] = o.model ?? null;
        continue;
      }
      if ((key === 'input' || key === 'output') && value !== null && value !== undefined && typeof value !== 'string')
        value = JSON.stringify(value);
      out[key] = value === undefined ? null : value;
    }
  }
  return out;
}
