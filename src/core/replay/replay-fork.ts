// Replay from a span (`--from-span`, "Replay from Here") and the tool policy (`--tools
// recorded|strict|live`): the checks made before a job is queued or anything is sent, and which spans
// of a trace keep their recorded output because they ended before the chosen span started. The
// runner (replay-runner.ts) forks there: the chosen span and every later LLM span are replayed,
// chained.
import type { Span, Trace } from '../model/trace';
import { UserError } from '../util/user-error';
import { unreplayableReason } from './replayability';
import type { ReplayOverrides, ToolPolicy } from './replay-types';

export const TOOL_POLICIES: readonly ToolPolicy[] = ['recorded', 'strict', 'live'];

/** `--from-span` names no LLM span of the trace that can be replayed, or does not fit the other
 *  overrides (independent mode, a template that applies only before the fork): nothing is sent. */
export class ForkSpanError extends UserError {
  readonly code = 'FORK_SPAN_INVALID';
  override readonly kind = 'usage';
  constructor(message: string) {
    super(message);
    this.name = 'ForkSpanError';
  }
}

/** The tool policy asked for is not available (live tools where no MCP tool host is set up). */
export class ToolPolicyError extends UserError {
  readonly code = 'TOOL_POLICY_UNAVAILABLE';
  override readonly kind = 'usage';
  constructor(message: string) {
    super(message);
    this.name = 'ToolPolicyError';
  }
}

/** `--tools strict`: the replayed model asked for other tools or arguments than the recording; the
 *  job stops at that span (FAILED with the divergence) and later spans are not sent. */
export class ToolCallsDivergedError extends UserError {
  readonly code = 'TOOL_CALLS_DIVERGED';
  constructor(message: string) {
    super(message);
    this.name = 'ToolCallsDivergedError';
  }
}

/** Checks that need no trace: the mode and the tool policy. Throws ForkSpanError / ToolPolicyError.
 *  `liveTools`: an MCP tool host is set up here (ReplayServices.toolHost), so live jobs can run. */
export function checkForkOverrides(overrides: ReplayOverrides, liveTools = false): void {
  const policy = overrides.toolPolicy;
  if (policy !== undefined && !TOOL_POLICIES.includes(policy)) {
    throw new ToolPolicyError(`The tool policy must be recorded, strict or live, got ${JSON.stringify(policy)}.`);
  }
  if (policy === 'live' && !liveTools) {
    throw new ToolPolicyError(
      'Live tools need an MCP server to call, and none is set up here (Redis queue workers and `trace-replay resume` start none); replay locally with an MCP config (.vscode/mcp.json or --mcp-config FILE) and --allow-live-tools, or with the recorded tool results (--tools recorded).',
    );
  }
  const maxSteps = overrides.maxSteps;
  if (maxSteps !== undefined && (!Number.isInteger(maxSteps) || maxSteps < 0)) {
    throw new ToolPolicyError(`--max-steps must be a whole number of 0 or more, got ${JSON.stringify(maxSteps)}.`);
  }
  const from = overrides.fromSpanId;
  if (from === undefined) return;
  if (typeof from !== 'string' || from.trim() === '') {
    throw new ForkSpanError(
      '--from-span needs the id of an LLM span of the trace (as `trace-replay trace ID` lists it).',
    );
  }
  if (overrides.mode === 'independent') {
    throw new ForkSpanError(
      `A replay from span ${from} is chained (the fork's answer flows into later spans); drop --mode independent.`,
    );
  }
}

/** The span the replay forks at, checked against the trace: it exists, is an LLM span and recorded
 *  its input. Throws ForkSpanError naming the span and the fix. */
export function forkSpanOf(trace: Trace, fromSpanId: string): Span {
  const id = fromSpanId.toLowerCase();
  const span = trace.spans.find((s) => s.id.toLowerCase() === id);
  if (!span) {
    throw new ForkSpanError(
      `Span ${fromSpanId} is not in trace ${trace.id}; pick an LLM span id that \`trace-replay trace ${trace.id}\` lists.`,
    );
  }
  if (span.kind !== 'llm' || !span.llm) {
    throw new ForkSpanError(
      `Span ${span.id} (${span.name}) of trace ${trace.id} is a ${span.kind} span, not an LLM call; a replay forks at an LLM span, pick one of those.`,
    );
  }
  const refused = unreplayableReason(span);
  if (refused !== undefined) throw new ForkSpanError(`The replay cannot fork at it: ${refused}`);
  return span;
}

/** Ids of the spans that keep their recorded output: those that ended before the fork span started. */
export function spansBeforeFork(trace: Trace, fork: Span): Set<string> {
  const before = new Set<string>();
  for (const s of trace.spans) if (s.id !== fork.id && s.endTime <= fork.startTime) before.add(s.id);
  return before;
}

/** Every check of the fork overrides against the trace, before the job is queued or anything sent. */
export function checkForkSpan(trace: Trace, overrides: ReplayOverrides, liveTools = false): void {
  checkForkOverrides(overrides, liveTools);
  if (overrides.fromSpanId !== undefined) forkSpanOf(trace, overrides.fromSpanId);
}

/** A template that links only to spans before the fork would change nothing: refuse. */
export function checkTemplateAfterFork(linked: readonly string[], before: ReadonlySet<string>, fork: Span): void {
  if (linked.length > 0 && linked.every((id) => before.has(id))) {
    throw new ForkSpanError(
      `The template applies only to spans that end before span ${fork.id} (${fork.name}), which keep their recorded output; fork at an earlier span or pick later spans with --span.`,
    );
  }
}
