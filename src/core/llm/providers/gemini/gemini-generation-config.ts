// The generationConfig of a Gemini request: the model parameters, reasoning effort and response
// format. Wire facts relied on (ai.google.dev/api/generate-content): generationConfig takes
// temperature, topP, topK, candidateCount, maxOutputTokens, stopSequences (<= 5), seed,
// presencePenalty, frequencyPenalty, responseMimeType, responseJsonSchema (JSON Schema) or
// responseSchema (Google's OpenAPI-subset Schema, types in capitals), thinkingConfig.
import { dropParameter, put, type BuildContext, type Json } from '../../request-common';
import { isGeminiSchema, warnUnenforced } from './gemini-schema';

/** The most stop sequences the API takes. */
export const MAX_STOP_SEQUENCES = 5;

/** Reasoning effort -> thinkingConfig: Gemini 3 takes a thinking level, Gemini 2.5 a token budget. */
function thinkingConfig(ctx: BuildContext, effort: string): Json | undefined {
  const e = effort.toLowerCase();
  if (/(^|\/)gemini-3/.test(ctx.model)) {
    if (['minimal', 'low', 'medium', 'high'].includes(e)) {
      if (!ctx.sameApi)
        ctx.warnings.push(
          `reasoning effort "${effort}" sent as thinkingConfig.thinkingLevel (not every Gemini 3 model takes every level).`,
        );
      return { thinkingLevel: e };
    }
    dropParameter(ctx, 'reasoning effort', effort, 'Gemini 3 thinking levels are minimal, low, medium, high');
    return undefined;
  }
  const budgets: Record<string, number> = { none: 0, minimal: 0, low: 1024, medium: 8192, high: 24576 };
  const budget = budgets[e];
  if (budget === undefined) {
    dropParameter(ctx, 'reasoning effort', effort, 'it has no Gemini thinking budget equivalent');
    return undefined;
  }
  ctx.warnings.push(
    `reasoning effort "${effort}" sent as thinkingConfig.thinkingBudget=${budget} (an approximation; Gemini 2.5 takes a token budget).`,
  );
  return { thinkingBudget: budget };
}

/** generationConfig: the recorded extra generation fields, then the call's parameters over them. */
export function generationConfig(ctx: BuildContext, extraGeneration: Json): Json {
  const { call } = ctx;
  const p = call.parameters;
  const config: Json = { ...extraGeneration };
  put(config, 'temperature', p.temperature);
  put(config, 'topP', p.topP);
  put(config, 'topK', p.topK);
  put(config, 'maxOutputTokens', p.maxTokens);
  if (p.stop !== undefined && p.stop.length > 0) {
    if (p.stop.length > MAX_STOP_SEQUENCES) {
      ctx.warnings.push(
        `Gemini takes at most ${MAX_STOP_SEQUENCES} stop sequences; ${JSON.stringify(p.stop.slice(MAX_STOP_SEQUENCES))} not sent.`,
      );
    }
    config.stopSequences = p.stop.slice(0, MAX_STOP_SEQUENCES);
  }
  put(config, 'seed', p.seed);
  if (p.n !== undefined && p.n !== 1) {
    config.candidateCount = p.n;
    ctx.warnings.push(`n=${p.n} sent as candidateCount; only the first candidate is read back.`);
  }
  if (p.presencePenalty !== undefined || p.frequencyPenalty !== undefined) {
    put(config, 'presencePenalty', p.presencePenalty);
    put(config, 'frequencyPenalty', p.frequencyPenalty);
    if (!ctx.sameApi)
      ctx.warnings.push(
        'presence/frequency penalties sent as recorded; not every Gemini model accepts them (a 400 names the field).',
      );
  }
  if (p.reasoningEffort !== undefined) {
    const thinking = thinkingConfig(ctx, p.reasoningEffort);
    if (thinking !== undefined) config.thinkingConfig = { ...(config.thinkingConfig as Json | undefined), ...thinking };
  }
  const format = call.responseFormat;
  if (format?.type === 'json_object') config.responseMimeType = 'application/json';
  else if (format?.type === 'json_schema') {
    config.responseMimeType = 'application/json';
    const schema = format.schema ?? { type: 'object' };
    if (isGeminiSchema(schema)) config.responseSchema = schema;
    else {
      warnUnenforced(ctx, schema, 'response_format json_schema');
      config.responseJsonSchema = schema;
    }
    if (!ctx.sameApi) {
      const lost = [
        format.name !== undefined ? `name "${format.name}"` : '',
        format.strict !== undefined ? 'strict flag' : '',
      ].filter(Boolean);
      if (lost.length > 0)
        ctx.warnings.push(
          `response_format json_schema sent as generationConfig.responseJsonSchema; ${lost.join(' and ')} not carried (Gemini has no such fields).`,
        );
    }
  }
  return config;
}
