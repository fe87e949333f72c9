// Runs the fake LLM server in its own process (for benchmarks, so its CPU does not count as the
// engine's): `tsx test/support/fake-llm/serve-fake-llm.ts [delayMs]` prints `READY <url>` and serves
// until stdin closes or the process is signalled.
import { startFakeLlmServer } from './fake-llm-server';

async function main(): Promise<void> {
  const delayMs = Number(process.argv[2] ?? 0);
  const server = await startFakeLlmServer({ responder: () => ({ delayMs }) });
  process.stdout.write(`READY ${server.url}\n`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.stdin.on('end', stop);
  process.stdin.resume();
  process.once('SIGTERM', stop);
}

void main();
