// The last gate of every replay flow (Replay Trace, Replay Selected Traces, Replay with This Prompt
// Version): the replays are queued only when every provider they will call can be called. Else
// nothing is queued and one toast names the cause with its fix as the button — "Set API Key..."
// opens that provider's key box and, once a key is stored, starts the replays; "Choose Model..."
// asks again.
import type { ProviderConfigs } from '../../core/llm/llm-types';
import type { Trace } from '../../core/model/trace';
import type { ReplayJob } from '../../core/replay/replay-types';
import { CHOOSE_MODEL_BUTTON } from '../common/next-actions';
import { fixFor, type Fix, type Notifications } from '../common/notifications';
import type { Log } from '../common/log';
import { keyProblemMessage, replayKeyProblems, type KeyProblem } from './replay-key-check';

export interface StartContext {
  notifications: Notifications;
  /** The provider configuration as it is now (a key stored a moment ago included). */
  configs(): Promise<ProviderConfigs>;
  log: Log;
  /** The replays run on queue workers with their own keys: nothing to check here. */
  runsOnWorkers?(): boolean;
}

export interface StartRequest {
  traces: Trace[];
  /** The chosen model; undefined: each call's recorded one. */
  model: string | undefined;
  /** Queues the jobs (called only when nothing is missing). */
  queue(): Promise<ReplayJob[]>;
  /** Asks for the model again (the "Choose Model..." button); absent: no such button. */
  chooseModel?(): unknown;
}

function fixesFor(problem: KeyProblem, ctx: StartContext, request: StartRequest): Fix[] {
  const chooseModel: Fix[] = request.chooseModel
    ? [{ title: CHOOSE_MODEL_BUTTON, run: () => request.chooseModel!() }]
    : [];
  switch (problem.kind) {
    case 'missing-key':
      return [
        // The key is what was missing: once stored, start now (the check runs again, for another provider too).
        fixFor({ kind: 'set-api-key', provider: problem.provider }, { then: () => startReplays(ctx, request) }),
        ...chooseModel,
      ];
    case 'not-set-up':
      return [...chooseModel, fixFor({ kind: 'open-settings', setting: `traceReplay.providers.${problem.provider}` })];
    case 'model':
      return chooseModel;
  }
}

/** The queued jobs, or [] when something is missing (then the toast is on screen; its fix may
 *  start the replays later). */
export async function startReplays(ctx: StartContext, request: StartRequest): Promise<ReplayJob[]> {
  if (ctx.runsOnWorkers?.()) return request.queue();
  const problems = replayKeyProblems(request.traces, request.model, await ctx.configs());
  if (!problems.length) return request.queue();
  const what =
    request.traces.length === 1
      ? `"${request.traces[0].name || request.traces[0].id}"`
      : `${request.traces.length} traces`;
  const first = problems[0];
  const message = keyProblemMessage(first, what);
  ctx.log.warn(`nothing queued: ${message}`);
  void ctx.notifications.error(message, ...fixesFor(first, ctx, request));
  return [];
}
