// The engine wired to the real provider layer (official SDKs) and the prompt-template module. The
// CLI and the extension both build their services here, from their own ProviderConfigs.
import { createJobEvaluator, type JobEvaluatorOptions } from '../eval/job-evaluator';
import type { EvaluationContext } from '../eval/evaluator-types';
import { createLlmGateway, type LlmGatewayOptions } from '../llm/llm-gateway';
import type { ProviderConfigs } from '../llm/llm-types';
import { parseModelSpec, targetForRecorded } from '../llm/model-target';
import { applyPromptTemplate, spanMatchesTemplate } from '../prompts/apply-template';
import { loadPromptTemplateFile, type PromptTemplate } from '../prompts/prompt-template';
import { linkTemplate, templateNames } from '../prompts/template-link';
import { LangfuseConfigError } from '../sources/langfuse/langfuse-errors';
import type { LangfusePrompts } from '../sources/langfuse/langfuse-prompts';
import type { TraceStore } from '../store/trace-store';
import { isLangfuseTemplateSpec, parseLangfuseTemplateSpec, promptSelectorOf } from './langfuse-template-spec';
import type { ReplayServices, ReplayTemplate } from './replay-services';

/** `fileName`: the template's file, whose base name is a prompt name it answers to. */
export function replayTemplateOf(template: PromptTemplate, fileName?: string): ReplayTemplate {
  const names = templateNames(template, fileName);
  return {
    matches: call => spanMatchesTemplate(call, template),
    link: (trace, chosen) => linkTemplate(trace, template, names, chosen),
    apply: (call, spanId) => {
      const applied = applyPromptTemplate(call, template, undefined, { spanId });
      const warnings = [...applied.warnings];
      if (applied.variablesRecovered) warnings.push('template variables were recovered from the recorded messages');
      return { call: applied.call, warnings };
    },
  };
}

export async function loadReplayTemplate(path: string): Promise<ReplayTemplate> {
  return replayTemplateOf(await loadPromptTemplateFile(path), path);
}

export interface TemplateSources {
  /** Resolves `langfuse:<name>@<version>` / `langfuse:<name>#<label>` specs. */
  langfusePrompts?: LangfusePrompts;
}

/** The engine's loadTemplate: a `langfuse:` spec is read from Langfuse prompt management, anything
 *  else is a template file. */
export function replayTemplateLoader(sources: TemplateSources = {}): (spec: string) => Promise<ReplayTemplate> {
  return async spec => {
    if (!isLangfuseTemplateSpec(spec)) return loadReplayTemplate(spec);
    if (!sources.langfusePrompts) {
      throw new LangfuseConfigError(`The template ${spec} is a Langfuse prompt but no Langfuse connection is configured; set LANGFUSE_PUBLIC_KEY, LANGFUSE_SECRET_KEY and LANGFUSE_BASE_URL.`);
    }
    const parsed = parseLangfuseTemplateSpec(spec);
    return replayTemplateOf(await sources.langfusePrompts.getPrompt(parsed.name, promptSelectorOf(parsed)));
  };
}

export interface ReplayServiceOptions extends TemplateSources {
  /** The evaluation step of every job (config path, JavaScript permission, workspace folder);
   *  absent or false: jobs are not scored. llm-judge evaluators use the replay's own gateway. */
  evaluation?: Omit<JobEvaluatorOptions, 'context'> & { context?: Omit<EvaluationContext, 'signal' | 'platformScores' | 'gateway' | 'providerConfigs'> } | false;
}

export function createReplayServices(store: TraceStore, configs: ProviderConfigs, gatewayOptions?: LlmGatewayOptions, options: ReplayServiceOptions = {}): ReplayServices {
  const gateway = createLlmGateway(configs, gatewayOptions);
  const { evaluation } = options;
  return {
    store,
    gateway,
    resolveTarget: (call, spec) => (spec !== undefined ? parseModelSpec(spec, configs) : targetForRecorded(call, configs)),
    loadTemplate: replayTemplateLoader(options),
    ...(evaluation ? { evaluate: createJobEvaluator({ ...evaluation, context: { ...evaluation.context, gateway, providerConfigs: configs } }) } : {}),
  };
}
