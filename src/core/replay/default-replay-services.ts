// The engine wired to the real provider layer (official SDKs) and the prompt-template module. The
// CLI and the extension both build their services here, from their own ProviderConfigs.
import { createLlmGateway, type LlmGatewayOptions } from '../llm/llm-gateway';
import type { ProviderConfigs } from '../llm/llm-types';
import { parseModelSpec, targetForRecorded } from '../llm/model-target';
import { applyPromptTemplate, spanMatchesTemplate } from '../prompts/apply-template';
import { loadPromptTemplateFile } from '../prompts/prompt-template';
import type { TraceStore } from '../store/trace-store';
import type { ReplayServices, ReplayTemplate } from './replay-services';

export async function loadReplayTemplate(path: string): Promise<ReplayTemplate> {
  const template = await loadPromptTemplateFile(path);
  return {
    matches: call => spanMatchesTemplate(call, template),
    apply: (call, spanId) => {
      const applied = applyPromptTemplate(call, template, undefined, { spanId });
      const warnings = [...applied.warnings];
      if (applied.variablesRecovered) warnings.push('template variables were recovered from the recorded messages');
      return { call: applied.call, warnings };
    },
  };
}

export function createReplayServices(store: TraceStore, configs: ProviderConfigs, gatewayOptions?: LlmGatewayOptions): ReplayServices {
  return {
    store,
    gateway: createLlmGateway(configs, gatewayOptions),
    resolveTarget: (call, spec) => (spec !== undefined ? parseModelSpec(spec, configs) : targetForRecorded(call)),
    loadTemplate: loadReplayTemplate,
  };
}
