// Live tool mode: the agent continuation once a replayed LLM answer asks for tools. Each tool call
// goes to a tool host (the MCP servers the user configured) when it offers the tool; otherwise the
// recorded result of the same call is used, with a warning; with neither, the loop stops there with
// the reason. The answer's tool calls and their results are appended to the conversation (an
// assistant turn with the tool_call parts, then a `tool` message with the tool_result parts: the
// shape normalized recordings have) and the next request goes through the same gateway path as the
// runner's (resolveTarget, build, execute). It repeats until an answer without tool calls, or until
// `maxSteps` extra LLM calls were made (then "stopped after N steps (--max-steps) without running the
// tools the model still asked for": the tools of that last answer are not run). A call its MCP server
// cannot answer (it crashed, went away or passed the per-call timeout) or that does not start stops
// the loop too, with the server's sentence; a tool that answers with an error goes back to the model as an error result.
// Everything that happened comes back as data, for the runner to turn into spans. Extra calls are
// never served from the response cache: live results may differ run to run.
import { performance } from 'node:perf_hooks';
import { RequestAbortedError } from '../llm/llm-errors';
import type { LlmExecution, ModelTarget } from '../llm/llm-types';
import type { LlmApi, LlmCall, LlmOutput, Message, MessagePart, ToolCallPart, ToolResultPart } from '../model/trace';
import { normalizeToolArguments, type RecordedToolResults } from '../tools/recorded-tool-results';
import type { ToolCallOutcome, ToolHost } from '../tools/tool-host';
import { redactedMessage } from '../util/redact-secrets';
import { isUserError } from '../util/user-error';
import { ReplayCancelledError } from './replay-errors';
import type { ReplayServices } from './replay-services';
import type { ToolResultSource } from './replay-types';

export type { ToolResultSource } from './replay-types';

export interface LiveLlmStep {
  kind: 'llm';
  /** The conversation sent (the original call with the tool turns appended). */
  call: LlmCall;
  target: ModelTarget;
  api: LlmApi;
  /** The request builder's warnings (lossy translation, ...). */
  requestWarnings: string[];
  execution: LlmExecution;
  /** Per tool call of this answer: where its result came from ('none' when it was not run). */
  toolResults: ToolResultSource[];
  startedAt: string;
  finishedAt: string;
}

export interface LiveToolStep {
  kind: 'tool';
  /** Which answer asked for it: 0 the answer given to the loop, n the answer of llmSteps[n - 1]. */
  answer: number;
  toolCallId?: string;
  name: string;
  arguments: unknown;
  source: ToolResultSource;
  /** The MCP server that ran it (live). */
  server?: string;
  /** The span the recorded result was read from (recorded). */
  recordedSpanId?: string;
  /** What went back to the model; absent when the loop stopped at this call. */
  result?: { content: string; isError: boolean };
  /** Why the call got no result: its MCP server failed mid-call (crashed, went away) or did not answer
   *  in time. The loop stops there. */
  error?: string;
  durationMs: number;
  startedAt: string;
  finishedAt: string;
  warnings: string[];
}

export type LiveStep = LiveLlmStep | LiveToolStep;

export type LiveStopCode = 'max-steps' | 'no-tool-result' | 'llm-failed' | 'tool-failed';

export interface LiveToolLoopResult {
  /** In the order they happened. */
  steps: LiveStep[];
  llmSteps: LiveLlmStep[];
  toolSteps: LiveToolStep[];
  /** Per tool call of the answer given to the loop: where its result came from. */
  toolResults: ToolResultSource[];
  /** The last answer (the given one when no extra call was made). */
  output: LlmOutput;
  /** The conversation of the last request, plus the last answer's turn when the loop stopped. */
  messages: Message[];
  /** Why the loop ended before an answer without tool calls. */
  stopped?: { code: LiveStopCode; reason: string };
  /** For the span that handed over: tools not offered, the host's warnings. */
  warnings: string[];
}

export interface LiveToolLoopInput {
  /** The call as it was sent (overrides, template and chaining applied). */
  call: LlmCall;
  /** Its answer, which asks for tools. */
  output: LlmOutput;
  services: Pick<ReplayServices, 'gateway' | 'resolveTarget'>;
  /** The job's model override (ReplayOverrides.model). */
  modelSpec?: string;
  host: ToolHost;
  recorded: RecordedToolResults;
  /** How many extra LLM calls may be made. */
  maxSteps: number;
  signal: AbortSignal;
  /** Monotonic clock for durations (default performance.now). */
  now?: () => number;
}

/** The typed errors of a call its server could not answer, or of a server that did not start (see
 *  core/tools/mcp-errors.ts): the loop stops there and the job keeps what it has; any other error
 *  fails the job. */
const TOOL_CALL_FAILURES: ReadonlySet<string> = new Set([
  'MCP_TOOL_CALL_FAILED',
  'MCP_TOOL_TIMEOUT',
  'MCP_SERVER_START_FAILED',
]);

function describeCall(call: ToolCallPart): string {
  return `${call.name}(${JSON.stringify(normalizeToolArguments(call.arguments)) ?? ''})`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The assistant turn of an answer: its text and its tool calls. */
function assistantTurn(output: LlmOutput): Message {
  const parts: MessagePart[] = [];
  if (output.text !== '') parts.push({ type: 'text', text: output.text });
  parts.push(...output.toolCalls);
  return { role: 'assistant', parts };
}

class LiveLoop {
  private readonly now: () => number;
  private readonly steps: LiveStep[] = [];
  private readonly warnings: string[] = [];
  private messages: Message[];
  private offered?: ReadonlySet<string>;

  constructor(private readonly input: LiveToolLoopInput) {
    this.now = input.now ?? (() => performance.now());
    this.messages = [...input.call.messages];
  }

  private checkCancelled(): void {
    if (this.input.signal.aborted) throw new ReplayCancelledError();
  }

  private async offeredTools(): Promise<ReadonlySet<string>> {
    if (!this.offered) {
      const tools = await this.input.host.tools(this.input.signal);
      this.offered = new Set(tools.keys());
      this.warnings.push(...this.input.host.warnings);
    }
    return this.offered;
  }

  private serverList(): string {
    return this.offered && this.offered.size > 0
      ? `it offers ${[...this.offered].sort().join(', ')}`
      : 'it offers no tool';
  }

  /** Runs one tool call; a step without result means the loop stops. */
  private async runTool(call: ToolCallPart, answer: number): Promise<LiveToolStep> {
    const { host, recorded, signal } = this.input;
    const startedAt = new Date().toISOString();
    const start = this.now();
    const step: LiveToolStep = {
      kind: 'tool',
      answer,
      name: call.name,
      arguments: call.arguments,
      source: 'none',
      durationMs: 0,
      startedAt,
      finishedAt: startedAt,
      warnings: [],
    };
    if (call.id !== undefined) step.toolCallId = call.id;
    const finish = (): LiveToolStep => {
      step.durationMs = Math.max(0, this.now() - start);
      step.finishedAt = new Date().toISOString();
      return step;
    };
    let offered: ReadonlySet<string>;
    try {
      offered = await this.offeredTools();
    } catch (err) {
      // A server that does not start (VS Code starts them when a job first needs them): the loop stops.
      if (signal.aborted || !isUserError(err) || !TOOL_CALL_FAILURES.has(err.code)) throw err;
      step.error = redactedMessage(err);
      step.warnings.push(step.error);
      return finish();
    }
    if (offered.has(call.name)) {
      const args = normalizeToolArguments(call.arguments);
      if (!isRecord(args)) {
        const content = `The arguments of this ${call.name} call are not a JSON object: ${JSON.stringify(call.arguments)}.`;
        step.result = { content, isError: true };
        step.warnings.push(`${content} The tool was not run; the model got this error as its result.`);
        return finish();
      }
      let outcome: ToolCallOutcome;
      try {
        outcome = await host.call(call.name, args, signal);
      } catch (err) {
        if (signal.aborted || !isUserError(err) || !TOOL_CALL_FAILURES.has(err.code)) throw err;
        step.error = redactedMessage(err);
        step.warnings.push(step.error);
        return finish();
      }
      step.source = 'live';
      step.server = outcome.server;
      step.result = { content: outcome.content, isError: outcome.isError };
      step.warnings.push(...outcome.warnings);
      return finish();
    }
    const found = recorded.find(call);
    if (found) {
      step.source = 'recorded';
      step.recordedSpanId = found.spanId;
      step.result = { content: found.content, isError: found.isError === true };
      const warning = `The tool ${call.name} is not offered by the configured MCP servers (${this.serverList()}); the replay used its recorded result (span ${found.spanId}).`;
      step.warnings.push(warning);
      this.warnings.push(warning);
      return finish();
    }
    return finish();
  }

  private async sendNext(): Promise<LiveLlmStep> {
    const { services, modelSpec, signal } = this.input;
    const call: LlmCall = { ...this.input.call, messages: this.messages, output: { text: '', toolCalls: [] } };
    delete call.usage;
    delete call.costUsd;
    delete call.responseId;
    delete call.responseModel;
    const target = services.resolveTarget(call, modelSpec);
    const request = services.gateway.build(call, target);
    const startedAt = new Date().toISOString();
    const execution = await services.gateway.execute(request, target, { signal });
    return {
      kind: 'llm',
      call,
      target,
      api: request.api,
      requestWarnings: request.warnings,
      execution,
      toolResults: execution.output.toolCalls.map(() => 'none'),
      startedAt,
      finishedAt: new Date().toISOString(),
    };
  }

  private result(
    output: LlmOutput,
    toolResults: ToolResultSource[],
    stopped?: LiveToolLoopResult['stopped'],
  ): LiveToolLoopResult {
    const llmSteps = this.steps.filter((s): s is LiveLlmStep => s.kind === 'llm');
    const out: LiveToolLoopResult = {
      steps: this.steps,
      llmSteps,
      toolSteps: this.steps.filter((s): s is LiveToolStep => s.kind === 'tool'),
      toolResults,
      output,
      messages: stopped ? [...this.messages, assistantTurn(output)] : this.messages,
      warnings: this.warnings,
    };
    if (stopped) out.stopped = stopped;
    return out;
  }

  async run(): Promise<LiveToolLoopResult> {
    const { maxSteps } = this.input;
    const first: ToolResultSource[] = this.input.output.toolCalls.map(() => 'none');
    let output = this.input.output;
    let sources = first;
    let answer = 0;
    while (output.toolCalls.length > 0) {
      this.checkCancelled();
      if (answer >= maxSteps) {
        const reason = `stopped after ${maxSteps} ${maxSteps === 1 ? 'step' : 'steps'} (--max-steps) without running the tools the model still asked for: ${output.toolCalls.map(describeCall).join(', ')}; raise --max-steps to let it go on.`;
        return this.result(output, first, { code: 'max-steps', reason });
      }
      const results: ToolResultPart[] = [];
      for (const [i, call] of output.toolCalls.entries()) {
        this.checkCancelled();
        let step: LiveToolStep;
        try {
          step = await this.runTool(call, answer);
        } catch (err) {
          if (this.input.signal.aborted || err instanceof RequestAbortedError) throw new ReplayCancelledError();
          throw err;
        }
        this.steps.push(step);
        sources[i] = step.source;
        if (step.error !== undefined) return this.result(output, first, { code: 'tool-failed', reason: step.error });
        if (!step.result) {
          const reason = `The model asked for ${describeCall(call)}, which no configured MCP server offers (${this.serverList()}) and the recording has no result for; the replay stopped there.`;
          return this.result(output, first, { code: 'no-tool-result', reason });
        }
        const part: ToolResultPart = { type: 'tool_result', content: step.result.content };
        if (call.id !== undefined) part.toolCallId = call.id;
        if (step.result.isError) part.isError = true;
        results.push(part);
      }
      this.messages = [...this.messages, assistantTurn(output), { role: 'tool', parts: results }];
      let next: LiveLlmStep;
      try {
        next = await this.sendNext();
      } catch (err) {
        if (this.input.signal.aborted || err instanceof RequestAbortedError) throw new ReplayCancelledError();
        const reason = `LLM step ${answer + 1} of the live tool loop failed: ${redactedMessage(err)}`;
        return this.result(output, first, { code: 'llm-failed', reason });
      }
      this.steps.push(next);
      answer++;
      output = next.execution.output;
      sources = next.toolResults;
    }
    return this.result(output, first);
  }
}

/** Runs the agent continuation of `input.output` (see the header). Rejects with ReplayCancelledError
 *  when cancelled, and with the host's typed error when the MCP servers cannot be started. */
export function runLiveToolLoop(input: LiveToolLoopInput): Promise<LiveToolLoopResult> {
  return new LiveLoop(input).run();
}
