// A receiver in its own process for the memory test (receiver-memory.test.ts): its RSS is then
// the receiver's alone. Prints {"port", "baselineRss"} once listening; on "report" on stdin it
// prints {"peakRss", "spans"} (the highest RSS sampled while it ran) and exits.
import { startOtlpReceiver } from '../../../src/core/otlp/receiver';

async function main(): Promise<void> {
  const maxBodyBytes = Number(process.env.MAX_BODY_BYTES);
  const maxInFlightBytes = Number(process.env.MAX_IN_FLIGHT_BYTES);
  let spans = 0;
  const receiver = await startOtlpReceiver({
    port: 0,
    maxBodyBytes,
    maxInFlightBytes,
    onSpans: (s) => void (spans += s.length),
  });
  (globalThis as { gc?: () => void }).gc?.();
  const baselineRss = process.memoryUsage().rss;
  let peakRss = baselineRss;
  // Bodies held by the receiver stay for many milliseconds; sampling every few catches them.
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 2);
  process.stdout.write(`${JSON.stringify({ port: receiver.port, baselineRss })}\n`);
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (line: string) => {
    if (!line.includes('report')) return;
    clearInterval(sampler);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    process.stdout.write(`${JSON.stringify({ peakRss, spans })}\n`, () => {
      void receiver.close().then(() => process.exit(0));
    });
  });
}

void main();
