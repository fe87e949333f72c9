// Reading a judge model's answer. Models asked for bare JSON still wrap it in prose or a code fence,
// or write the score as a string; all of that is accepted. A score outside 0..1 is not rescaled
// (a guess between 0..10 and 0..100 would fake precision): it is an error for that score.
import { JudgeAnswerError } from './eval-errors';

export interface JudgeVerdict {
  score: number;
  reason?: string;
}

/** Every balanced {...} substring, outermost first, skipping braces inside JSON strings. */
function objectCandidates(text: string): string[] {
  const out: string[] = [];
  for (let start = text.indexOf('{'); start !== -1; start = text.indexOf('{', start + 1)) {
    let depth = 0;
    let inString = false;
    for (let i = start; i < text.length; i++) {
      const ch = text[i];
      if (inString) {
        if (ch === '\\') i++;
        else if (ch === '"') inString = false;
      } else if (ch === '"') inString = true;
      else if (ch === '{') depth++;
      else if (ch === '}' && --depth === 0) {
        out.push(text.slice(start, i + 1));
        break;
      }
    }
  }
  return out;
}

function verdictFrom(value: unknown): { score: unknown; reason?: unknown } | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const obj = value as Record<string, unknown>;
  return 'score' in obj ? { score: obj.score, reason: obj.reason ?? obj.explanation } : undefined;
}

export function parseJudgeAnswer(answer: string): JudgeVerdict {
  let found: { score: unknown; reason?: unknown } | undefined;
  for (const candidate of [answer.trim(), ...objectCandidates(answer)]) {
    try {
      found = verdictFrom(JSON.parse(candidate));
    } catch {
      found = undefined;
    }
    if (found) break;
  }
  if (found === undefined)
    throw new JudgeAnswerError(
      `The judge did not answer with a JSON object {"score", "reason"}: ${excerpt(answer)}`,
      answer,
    );
  const score = typeof found.score === 'string' && found.score.trim() !== '' ? Number(found.score) : found.score;
  if (typeof score !== 'number' || !Number.isFinite(score)) {
    throw new JudgeAnswerError(`The judge's score is not a number: ${JSON.stringify(found.score)}.`, answer);
  }
  if (score < 0 || score > 1) throw new JudgeAnswerError(`The judge's score ${score} is outside 0..1.`, answer);
  const verdict: JudgeVerdict = { score };
  if (typeof found.reason === 'string' && found.reason.trim() !== '') verdict.reason = found.reason.trim();
  return verdict;
}

function excerpt(text: string): string {
  const t = text.trim();
  return t === '' ? '(empty answer)' : JSON.stringify(t.length > 120 ? `${t.slice(0, 117)}...` : t);
}
