// The Google Gen AI SDK, loaded on first use: a command that calls no Gemini model (`--help`, `traces`,
// `import`, a replay on another provider) does not pay for loading it. esbuild keeps the module in
// the bundle; only its evaluation waits for the first call.
import type * as GeminiSdk from '@google/genai';

let loaded: typeof GeminiSdk | undefined;

export function geminiSdk(): typeof GeminiSdk {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the lazy load this file is for
  return (loaded ??= require('@google/genai') as typeof GeminiSdk);
}
