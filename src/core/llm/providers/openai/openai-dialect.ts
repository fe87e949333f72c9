// What differs between the servers that speak the OpenAI APIs (OpenAI itself, Azure OpenAI,
// OpenAI-compatible servers): which model names follow OpenAI's reasoning-model rules, and whether
// top_k may be sent. The chat.completions and responses builders read it instead of a provider name.

export interface OpenAiDialect {
  /** Whether `model` is an OpenAI reasoning model: true applies its rules (max_completion_tokens, no
   *  sampling parameters other than the defaults), false drops reasoning effort as not taken, and
   *  undefined (a name this server does not tell about) sends everything as recorded. */
  reasoningModel(model: string): boolean | undefined;
  /** OpenAI-compatible servers (vLLM, Ollama) take top_k as an extra body field; OpenAI does not. */
  topK: boolean;
}

/** OpenAI reasoning models (o1, o3, o4, gpt-5 except its chat variants) reject sampling parameters
 *  other than their defaults and take max_completion_tokens instead of max_tokens. */
export function isOpenAiReasoningModel(model: string): boolean {
  const m = model.toLowerCase().replace(/^openai\//, '');
  if (/^o[134](-|$)/.test(m)) return true;
  return /^gpt-5/.test(m) && !/chat/.test(m);
}

/** api.openai.com: every model name is OpenAI's own. */
export const OPENAI_DIALECT: OpenAiDialect = { reasoningModel: isOpenAiReasoningModel, topK: false };

/** Azure OpenAI: the model is a deployment name, which usually but not always repeats the model's;
 *  only names that are recognizably OpenAI's get OpenAI's rules. */
export const AZURE_DIALECT: OpenAiDialect = {
  reasoningModel: (model) =>
    isOpenAiReasoningModel(model) ? true : /^(gpt-|chatgpt-)/i.test(model) ? false : undefined,
  topK: false,
};

/** OpenAI-compatible servers: their models are not OpenAI's; everything recorded is sent. */
export const COMPATIBLE_DIALECT: OpenAiDialect = { reasoningModel: () => undefined, topK: true };
