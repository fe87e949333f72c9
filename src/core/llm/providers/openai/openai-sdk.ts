// The openai SDK (also behind Azure OpenAI and OpenAI-compatible endpoints), loaded on first use: a command that calls no OpenAI-style model (`--help`, `traces`,
// `import`, a replay on another provider) does not pay for loading it. esbuild keeps the module in
// the bundle; only its evaluation waits for the first call.
import type * as OpenAiSdk from 'openai';

let loaded: typeof OpenAiSdk | undefined;

export function openaiSdk(): typeof OpenAiSdk {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the lazy load this file is for
  return (loaded ??= require('openai') as typeof OpenAiSdk);
}
