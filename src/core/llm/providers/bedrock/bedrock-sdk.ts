// The AWS SDK's Bedrock runtime client and its fetch handler, loaded on first use: a command that calls no Bedrock model (`--help`, `traces`,
// `import`, a replay on another provider) does not pay for loading it. esbuild keeps the module in
// the bundle; only its evaluation waits for the first call.
import type * as BedrockSdk from '@aws-sdk/client-bedrock-runtime';
import type * as FetchHandler from '@smithy/fetch-http-handler';

let bedrock: typeof BedrockSdk | undefined;
let handler: typeof FetchHandler | undefined;

export function bedrockSdk(): typeof BedrockSdk {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the lazy load this file is for
  return (bedrock ??= require('@aws-sdk/client-bedrock-runtime') as typeof BedrockSdk);
}

export function fetchHttpHandler(): typeof FetchHandler {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the lazy load this file is for
  return (handler ??= require('@smithy/fetch-http-handler') as typeof FetchHandler);
}
