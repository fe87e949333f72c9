// tool-calls-match: the output asks for the same tools with the same arguments as the original.
// Scoring: calls are paired (exact matches first, then same tool name); an exact pair earns 1, a
// same-tool pair with other arguments earns `sameNameCredit` (default 0.5), an unpaired (missing or
// extra) call earns 0; the score is the credit divided by the larger number of calls. No calls on
// either side is a match (1): the model did not start calling tools it did not call before.
// For a trace's final output the calls of every LLM span of the trace are compared, in trace order:
// a final answer has no tool calls, but whether the run called the same tools is the question.
import type { ToolCallPart, Trace } from '../model/trace';
import { NoReferenceError } from './eval-errors';
import type { Evaluator, EvaluatorConfig, EvaluatorInput, EvaluatorResult } from './evaluator-types';
import { canonicalJson } from '../util/canonical-json';
import { evaluatorVersion } from './evaluator-version';

export const TOOL_CALLS_MATCH_EVALUATOR_VERSION = '2';

export interface ToolCallsMatchOptions {
  ignoreOrder?: boolean;
  sameNameCredit?: number;
}

export interface ToolCallsComparison {
  score: number;
  exact: number;
  /** Same tool, other arguments. */
  changed: string[];
  missing: string[];
  extra: string[];
}

/** Arguments compared as JSON values: a JSON string is parsed, key order does not matter. */
function argumentsKey(args: unknown): string {
  if (typeof args === 'string') {
    try {
      return canonicalJson(JSON.parse(args));
    } catch {
      return JSON.stringify(args);
    }
  }
  return canonicalJson(args ?? {});
}

export function compareToolCalls(
  candidate: ToolCallPart[],
  reference: ToolCallPart[],
  options: ToolCallsMatchOptions = {},
): ToolCallsComparison {
  const credit = options.sameNameCredit ?? 0.5;
  const result: ToolCallsComparison = { score: 1, exact: 0, changed: [], missing: [], extra: [] };
  const total = Math.max(candidate.length, reference.length);
  if (total === 0) return result;
  let earned = 0;
  if (options.ignoreOrder ?? true) {
    const left = candidate.map((c) => ({ call: c, key: argumentsKey(c.arguments), used: false }));
    const right = reference.map((c) => ({ call: c, key: argumentsKey(c.arguments), used: false }));
    for (const l of left) {
      const r = right.find((x) => !x.used && x.call.name === l.call.name && x.key === l.key);
      if (r) {
        l.used = r.used = true;
        earned += 1;
        result.exact++;
      }
    }
    for (const l of left.filter((x) => !x.used)) {
      const r = right.find((x) => !x.used && x.call.name === l.call.name);
      if (r) {
        l.used = r.used = true;
        earned += credit;
        result.changed.push(l.call.name);
      }
    }
    result.extra = left.filter((x) => !x.used).map((x) => x.call.name);
    result.missing = right.filter((x) => !x.used).map((x) => x.call.name);
  } else {
    for (let i = 0; i < total; i++) {
      const c = candidate[i];
      const r = reference[i];
      if (c === undefined) result.missing.push(r.name);
      else if (r === undefined) result.extra.push(c.name);
      else if (c.name !== r.name) {
        result.extra.push(c.name);
        result.missing.push(r.name);
      } else if (argumentsKey(c.arguments) === argumentsKey(r.arguments)) {
        earned += 1;
        result.exact++;
      } else {
        earned += credit;
        result.changed.push(c.name);
      }
    }
  }
  result.score = earned / total;
  return result;
}

function describe(c: ToolCallsComparison, candidateCount: number, referenceCount: number): string {
  if (candidateCount === 0 && referenceCount === 0) return 'No tool calls on either side.';
  const parts = [`${c.exact} of ${Math.max(candidateCount, referenceCount)} calls match exactly`];
  if (c.changed.length) parts.push(`other arguments for ${c.changed.join(', ')}`);
  if (c.missing.length) parts.push(`missing ${c.missing.join(', ')}`);
  if (c.extra.length) parts.push(`extra ${c.extra.join(', ')}`);
  return `${parts.join('; ')}.`;
}

function traceToolCalls(trace: Trace): ToolCallPart[] {
  return trace.spans.flatMap((s) => (s.kind === 'llm' ? (s.llm?.output?.toolCalls ?? []) : []));
}

export function createToolCallsMatchEvaluator(config: EvaluatorConfig): Evaluator {
  const options = config.options as ToolCallsMatchOptions;
  return {
    id: config.id,
    type: 'tool-calls-match',
    version: evaluatorVersion('tool-calls-match', TOOL_CALLS_MATCH_EVALUATOR_VERSION, config.options),
    scope: config.scope,
    evaluate(input: EvaluatorInput): Promise<EvaluatorResult> {
      if (input.reference === undefined) return Promise.reject(new NoReferenceError('tool-calls-match'));
      const wholeTrace = input.scope === 'final' ? input.reference.trace : undefined;
      const candidate = wholeTrace ? traceToolCalls(input.trace) : input.output.toolCalls;
      const reference = wholeTrace ? traceToolCalls(wholeTrace) : input.reference.output.toolCalls;
      const c = compareToolCalls(candidate, reference, options);
      const reason = describe(c, candidate.length, reference.length);
      return Promise.resolve({ value: c.score, reason: wholeTrace ? `The whole trace: ${reason}` : reason });
    },
  };
}
