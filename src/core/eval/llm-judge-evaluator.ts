// llm-judge: a judge model scores an output against a rubric, 0..1 with a reason. It goes through
// the same provider layer as replays (LlmGateway), at temperature 0. The same judge (model, rubric,
// prompt version) scores both the original and the replay in one job, so judge drift cannot fake a
// delta. Opt-in only: every score is a paid model call, whose usage and price the score keeps
// (judgeUsage) so the run's cost budget counts it.
import type { LlmExecution, LlmGateway, ModelTarget } from '../llm/llm-types';
import type { LlmCall, Message } from '../model/trace';
import { priceLlmCall } from '../pricing/llm-pricing';
import { JudgeAnswerError } from './eval-errors';
import { outputText } from './evaluation-targets';
import type { JudgeUsage } from './evaluation-types';
import type { EvaluateOptions, Evaluator, EvaluatorConfig, EvaluatorInput, EvaluatorResult } from './evaluator-types';
import { evaluatorVersion } from './evaluator-version';
import { parseJudgeAnswer } from './judge-answer';

/** Bumped whenever the judge prompt changes: scores from another prompt are not comparable. */
export const LLM_JUDGE_EVALUATOR_VERSION = '1';

export interface LlmJudgeOptions {
  model: string;
  rubric: string;
  passThreshold?: number;
  maxTokens?: number;
}

/** Long conversations are cut from the front: the latest turns matter most for the answer judged. */
const MAX_CONVERSATION_CHARS = 24_000;

export const JUDGE_SYSTEM_PROMPT =
  'You are a strict, impartial evaluator of AI assistant outputs. You are given a rubric, the conversation ' +
  "the assistant saw, and the assistant's output. Score how well the output satisfies the rubric, from 0 " +
  '(not at all) to 1 (fully). Answer with only a JSON object, no other text: ' +
  '{"score": <number from 0 to 1>, "reason": "<one or two sentences>"}';

function renderMessage(message: Message): string {
  const body = message.parts
    .map((part) => {
      switch (part.type) {
        case 'text':
        case 'reasoning':
          return part.text;
        case 'tool_call':
          return `[tool call ${part.name}(${JSON.stringify(part.arguments)})]`;
        case 'tool_result':
          return `[tool result${part.isError ? ' (error)' : ''}: ${part.content}]`;
        case 'image':
          return '[image]';
        default:
          return '[other content]';
      }
    })
    .join('\n');
  return `${message.role.toUpperCase()}${message.name ? ` (${message.name})` : ''}:\n${body}`;
}

export function renderConversation(messages: Message[]): string {
  const text = messages.map(renderMessage).join('\n\n');
  return text.length > MAX_CONVERSATION_CHARS
    ? `[... earlier turns cut ...]\n${text.slice(-MAX_CONVERSATION_CHARS)}`
    : text;
}

/** The neutral call sent to the judge; the gateway turns it into the provider's request. */
export function judgeCall(rubric: string, input: EvaluatorInput, maxTokens: number): LlmCall {
  const conversation = input.messages.length > 0 ? renderConversation(input.messages) : '(not recorded)';
  const user =
    `<rubric>\n${rubric}\n</rubric>\n\n<conversation>\n${conversation}\n</conversation>\n\n` +
    `<output>\n${outputText(input.output) || '(empty)'}\n</output>\n\n` +
    'Score the output against the rubric. Answer with only the JSON object {"score": ..., "reason": ...}.';
  return {
    api: 'unknown',
    messages: [
      { role: 'system', parts: [{ type: 'text', text: JUDGE_SYSTEM_PROMPT }] },
      { role: 'user', parts: [{ type: 'text', text: user }] },
    ],
    parameters: { temperature: 0, maxTokens },
    output: { text: '', toolCalls: [] },
  };
}

/** What one judge call used, priced from its usage (unknown price or no usage: costUsd null). */
export function judgeUsageOf(target: ModelTarget, execution: LlmExecution): JudgeUsage {
  const model = execution.responseModel ?? target.model;
  const usage: JudgeUsage = { model: `${target.provider}:${model}`, costUsd: null };
  if (execution.usage?.inputTokens !== undefined) usage.inputTokens = execution.usage.inputTokens;
  if (execution.usage?.outputTokens !== undefined) usage.outputTokens = execution.usage.outputTokens;
  const cost = priceLlmCall({ provider: target.provider, model, usage: execution.usage });
  if (cost.costUsd === null) usage.costReason = cost.reason;
  else usage.costUsd = cost.costUsd;
  return usage;
}

export function createLlmJudgeEvaluator(config: EvaluatorConfig, gateway: LlmGateway, target: ModelTarget): Evaluator {
  const options = config.options as unknown as LlmJudgeOptions;
  const maxTokens = options.maxTokens ?? 512;
  return {
    id: config.id,
    type: 'llm-judge',
    version: evaluatorVersion('llm-judge', LLM_JUDGE_EVALUATOR_VERSION, config.options),
    scope: config.scope,
    paid: true,
    async evaluate(input: EvaluatorInput, run: EvaluateOptions): Promise<EvaluatorResult> {
      const request = gateway.build(judgeCall(options.rubric, input, maxTokens), target);
      const execution = await gateway.execute(request, target, { signal: run.signal });
      const judgeUsage = judgeUsageOf(target, execution);
      let verdict;
      try {
        verdict = parseJudgeAnswer(execution.output.text);
      } catch (error) {
        if (error instanceof JudgeAnswerError) throw new JudgeAnswerError(error.message, error.answer, judgeUsage);
        throw error;
      }
      const result: EvaluatorResult = { value: verdict.score, judgeUsage };
      if (verdict.reason !== undefined) result.reason = verdict.reason;
      if (options.passThreshold !== undefined) result.passed = verdict.score >= options.passThreshold;
      return result;
    },
  };
}
