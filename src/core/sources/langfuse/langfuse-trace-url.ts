// Langfuse's trace page, `<base>/project/<projectId>/traces/<traceId>`. The project id comes with
// every observation, so it is read from the cached observations of a trace read earlier (no
// request).
import type { TraceStore } from '../../store/trace-store';
import { cacheKey, storeLangfuseCache } from './langfuse-cache';
import type { LangfuseConnection } from './langfuse-config';

export function langfuseTraceUrl(baseUrl: string, projectId: string | undefined, traceId: string): string | undefined {
  return projectId
    ? `${baseUrl}/project/${encodeURIComponent(projectId)}/traces/${encodeURIComponent(traceId)}`
    : undefined;
}

/** The Langfuse project id of a trace read earlier through `connection`. */
export async function langfuseProjectId(
  store: TraceStore,
  connection: LangfuseConnection,
  traceId: string,
): Promise<string | undefined> {
  const entry = await (await storeLangfuseCache(store)).get(cacheKey(connection, 'trace', traceId));
  return entry?.kind === 'trace' ? entry.observations.find((o) => o.projectId)?.projectId : undefined;
}
