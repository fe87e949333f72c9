// The engine wired to the real provider layer (official SDKs) and the prompt-template module. The
// CLI and the extension both build their services here, from their own ProviderConfigs.
import { createJobEvaluator, type JobEvaluatorOptions } from '../eval/job-evaluator';
import type { EvaluationContext } from '../eval/evaluator-types';
import { createLlmGateway, type LlmGatewayOptions } from '../llm/llm-gateway';
import type { LlmGateway, ProviderConfigs } from '../llm/llm-types';
import { parseModelSpec, targetForRecorded } from '../llm/model-target';
import { applyPromptTemplate, spanMatchesTemplate } from '../prompts/apply-template';
import { loadPromptTemplateFile, type PromptTemplate } from '../prompts/prompt-template';
import { linkTemplate, templateNames } from '../prompts/template-link';
import { formatTemplateRef, type TemplatePromptRef, type TemplateRef } from '../prompts/template-ref';
import { PlatformConfigError } from '../sources/platform-errors';
import type { TraceStore } from '../store/trace-store';
import type { ReplayServices, ReplayTemplate } from './replay-services';

/** `fileName`: the template's file, whose base name is a prompt name it answers to. */
export function replayTemplateOf(template: PromptTemplate, fileName?: string): ReplayTemplate {
  const names = templateNames(template, fileName);
  return {
    matches: (call) => spanMatchesTemplate(call, template),
    link: (trace, chosen) => linkTemplate(trace, template, names, chosen),
    apply: (call, spanId) => {
      const applied = applyPromptTemplate(call, template, undefined, { spanId });
      const warnings = [...applied.warnings];
      if (applied.variablesRecovered) warnings.push('template variables were recovered from the recorded messages');
      return { call: applied.call, warnings };
    },
  };
}

export interface TemplateSources {
  /** Reads a prompt version kept on a platform (see core/replay/prompt-versions.ts). */
  promptVersions?: (ref: TemplatePromptRef) => Promise<PromptTemplate>;
}

/** The template a job names, read: a file, or a prompt version read from its platform. `fileName`:
 *  the file's path (its base name is a prompt name the template answers to). */
export async function resolvePromptTemplate(
  ref: TemplateRef,
  sources: TemplateSources = {},
): Promise<{ template: PromptTemplate; fileName?: string }> {
  if (ref.kind === 'file') return { template: await loadPromptTemplateFile(ref.path), fileName: ref.path };
  if (!sources.promptVersions) {
    throw new PlatformConfigError(
      `The template ${formatTemplateRef(ref)} is a prompt version on ${ref.platform} but no connection to it is open here; replay it where its connection is configured.`,
    );
  }
  return { template: await sources.promptVersions(ref) };
}

/** The engine's loadTemplate: a file, or a prompt version read from its platform. */
export function replayTemplateLoader(sources: TemplateSources = {}): (ref: TemplateRef) => Promise<ReplayTemplate> {
  return async (ref) => {
    const { template, fileName } = await resolvePromptTemplate(ref, sources);
    return replayTemplateOf(template, fileName);
  };
}

export interface ReplayServiceOptions extends TemplateSources {
  /** Wraps the provider gateway every call goes through, the judge's too (e.g. a queue worker's
   *  shared rate limit). */
  decorateGateway?(gateway: LlmGateway): LlmGateway;
  /** The evaluation step of every job (config path, JavaScript permission, workspace folder);
   *  absent or false: jobs are not scored. llm-judge evaluators use the replay's own gateway. */
  evaluation?:
    | (Omit<JobEvaluatorOptions, 'context'> & {
        context?: Omit<EvaluationContext, 'signal' | 'platformScores' | 'gateway' | 'providerConfigs'>;
      })
    | false;
}

export function createReplayServices(
  store: TraceStore,
  configs: ProviderConfigs,
  gatewayOptions?: LlmGatewayOptions,
  options: ReplayServiceOptions = {},
): ReplayServices {
  const plain = createLlmGateway(configs, gatewayOptions);
  const gateway = options.decorateGateway ? options.decorateGateway(plain) : plain;
  const { evaluation } = options;
  return {
    store,
    gateway,
    resolveTarget: (call, spec) =>
      spec !== undefined ? parseModelSpec(spec, configs) : targetForRecorded(call, configs),
    loadTemplate: replayTemplateLoader(options),
    ...(evaluation
      ? {
          evaluate: createJobEvaluator({
            ...evaluation,
            context: { ...evaluation.context, gateway, providerConfigs: configs },
          }),
        }
      : {}),
  };
}
