// Runs every instrumented test app x scenario against the fake LLM server and stores the raw OTLP
// JSON bodies each one exported: test/fixtures/otlp/<app>-<scenario>.json (the /v1/traces bodies) and,
// for apps that send their content as OTLP logs, <app>-<scenario>.logs.json (the /v1/logs bodies).
// Usage: npx tsx scripts/capture-fixtures.ts [app-name-filter] [scenario]
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { APP_SCENARIOS, LOGS_APPS, runApp, scriptFor, type AppName } from '../test/apps/app-matrix';
import { startFakeLlmServer } from '../test/support/fake-llm/fake-llm-server';
import { startOtlpCaptureServer } from '../test/support/fake-llm/otlp-capture-server';

const OUT_DIR = path.resolve(__dirname, '../test/fixtures/otlp');

async function main(): Promise<void> {
  const filter = process.argv[2] ?? '';
  const only = process.argv[3];
  const llm = await startFakeLlmServer();
  const failures: string[] = [];
  try {
    for (const app of Object.keys(APP_SCENARIOS) as AppName[]) {
      if (!app.includes(filter)) continue;
      for (const scenario of APP_SCENARIOS[app]) {
        if (only !== undefined && scenario !== only) continue;
        const sink = await startOtlpCaptureServer();
        llm.reset();
        llm.enqueue(scriptFor(app, scenario));
        const run = await runApp(app, scenario, {
          otlpEndpoint: sink.endpoint,
          otlpLogsEndpoint: sink.logsEndpoint,
          openaiBaseUrl: llm.openaiBaseUrl,
          anthropicBaseUrl: llm.anthropicBaseUrl,
          geminiBaseUrl: llm.geminiBaseUrl,
        });
        await sink.close();
        const name = `${app}-${scenario}`;
        if (run.code !== 0) {
          failures.push(`${name}: exit ${run.code}\n${run.stderr}`);
          continue;
        }
        writeFileSync(path.join(OUT_DIR, `${name}.json`), `${JSON.stringify(sink.bodies, null, 2)}\n`);
        const logs = LOGS_APPS.includes(app);
        if (logs)
          writeFileSync(path.join(OUT_DIR, `${name}.logs.json`), `${JSON.stringify(sink.logBodies, null, 2)}\n`);
        else if (sink.logBodies.length > 0)
          failures.push(
            `${name}: sent ${sink.logBodies.length} OTLP log bodies but is not in LOGS_APPS (they were not saved)`,
          );
        const spans = sink.bodies.flatMap((b) =>
          (b as { resourceSpans: { scopeSpans: { spans: unknown[] }[] }[] }).resourceSpans.flatMap((r) =>
            r.scopeSpans.flatMap((s) => s.spans),
          ),
        );
        const records = sink.logBodies.flatMap((b) =>
          (b as { resourceLogs: { scopeLogs: { logRecords: unknown[] }[] }[] }).resourceLogs.flatMap((r) =>
            r.scopeLogs.flatMap((s) => s.logRecords),
          ),
        );
        process.stdout.write(
          `${name}: ${spans.length} spans${logs ? `, ${records.length} log records` : ''}, ${llm.requests.length} LLM requests\n`,
        );
      }
    }
  } finally {
    await llm.close();
  }
  if (failures.length > 0) {
    process.stderr.write(`${failures.join('\n')}\n`);
    process.exitCode = 1;
  }
}

void main();
