// What the replay engine needs from the rest of core, as ports, so the engine is tested with the real
// provider layer and templates (see default-replay-services.ts) or with small in-test fakes.
import type { TemplateRef } from '../prompts/template-ref';
import type { JobEvaluator } from '../eval/job-evaluator';
import type { LlmGateway, ModelTarget } from '../llm/llm-types';
import type { LlmCall, Span, ToolDefinition, Trace } from '../model/trace';
import type { ToolDefinitionCatalog } from './tool-definitions';
import type { TemplateLink } from '../prompts/template-link';
import type { TraceStore } from '../store/trace-store';
import type { ToolHost } from '../tools/tool-host';

/** A prompt template version loaded for one job. */
export interface ReplayTemplate {
  /** Whether the span's call came from this template (by name or text). */
  matches(call: LlmCall, span: Span): boolean;
  /** The LLM spans of `trace` the template applies to (see template-link.ts); `chosen`: the spans
   *  the user picked. No span: the job fails before sending anything, with the link's reason. */
  link(trace: Trace, chosen?: readonly string[]): TemplateLink;
  /** The call with the template's messages re-rendered; throws (e.g. TemplateApplyError) when the
   *  variables cannot be recovered, which fails that span only. */
  apply(call: LlmCall, spanId: string): { call: LlmCall; warnings: string[] };
}

export interface ReplayServices {
  store: TraceStore;
  gateway: LlmGateway;
  /** The target of a call: the override (`provider:model` or a bare name) or the recorded model.
   *  Throws UnknownModelError when it cannot tell. */
  resolveTarget(call: LlmCall, modelSpec: string | undefined): ModelTarget;
  /** Reads the template a job names (a file, or a prompt version on a platform). */
  loadTemplate?(ref: TemplateRef): Promise<ReplayTemplate>;
  /** Tool definitions recorded elsewhere, for spans that recorded none (default: the store's other
   *  traces, see storeToolCatalog); a queue worker serves the ones its submitter found. */
  toolCatalog?(traceId: string): ToolDefinitionCatalog;
  /** Reads a tool-definitions file (default: loadToolDefinitionsFile); a queue worker serves the
   *  file its submitter read. */
  loadToolDefinitions?(path: string): Promise<ToolDefinition[]>;
  /** Scores the original and the replayed trace with the same evaluators, in the job, once the
   *  replayed trace exists. Absent: the job carries no evaluation. */
  evaluate?: JobEvaluator;
  /** Runs tools for real for jobs with toolPolicy 'live' (the MCP servers of an mcp.json, see
   *  core/tools/mcp-tool-host.ts; shared by the jobs of a batch, closed by whoever made it). Absent:
   *  a live job fails before sending anything, saying so. */
  toolHost?: ToolHost;
}
