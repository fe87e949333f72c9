// llm-judge: a judge model scores an output against a rubric, 0..1 with a reason. It goes through
// the same provider layer as replays (LlmGateway), at temperature 0. The same judge (model, rubric,
// prompt version) scores both the original and the replay in one job, so judge drift cannot fake a
// delta. Opt-in only: every score is a paid model call.
import type { LlmGateway, ModelTarget } from '../llm/llm-types';
import type { LlmCall, Message } from '../model/trace';
import { outputText } from './evaluation-targets';
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

export function createLlmJudgeEvaluator(config: EvaluatorConfig, gateway: LlmGateway, target: ModelTarget): Evaluator {
  const options = config.options as unknown as LlmJudgeOptions;
  const maxTokens = options.maxTokens ?? 512;
  return {
    id: config.id,
    type: 'llm-judge',
    version: evaluatorVersion('llm-judge', LLM_JUDGE_EVALUATOR_VERSION, config.options),
    scope: config.scope,
    async evaluate(input: EvaluatorInput, run: EvaluateOptions): Promise<EvaluatorResult> {
      const request = gateway.build(judgeCall(options.rubric, input, maxTokens), target);
      const execution = await gateway.execute(request, target, { signal: run.signal });
      const verdict = parseJudgeAnswer(execution.output.text);
      const result: EvaluatorResult = { value: verdict.score };
      if (verdict.reason !== undefined) result.reason = verdict.reason;
      if (options.passThreshold !== undefined) result.passed = verdict.score >= options.passThreshold;
      return result;
    },
  };
}
