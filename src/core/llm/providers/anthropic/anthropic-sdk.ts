// The Anthropic SDK, loaded on first use: a command that calls no Anthropic model (`--help`, `traces`,
// `import`, a replay on another provider) does not pay for loading it. esbuild keeps the module in
// the bundle; only its evaluation waits for the first call.
import type * as AnthropicSdk from '@anthropic-ai/sdk';

let loaded: typeof AnthropicSdk | undefined;

export function anthropicSdk(): typeof AnthropicSdk {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the lazy load this file is for
  return (loaded ??= require('@anthropic-ai/sdk') as typeof AnthropicSdk);
}
