// Puts a new version of a prompt template into a recorded LLM call: find the messages the old
// version produced, take the variables (recorded, or recovered by matching the old version against
// those messages), render the new version with them, and swap the messages. The input call is
// never changed; the engine replays the returned one.
import type { LlmCall, Message, PromptLink } from '../model/trace';
import { lookupVariable, renderSegments, tokenize } from './placeholders';
import {
  templateForLink,
  templateFromPromptLink,
  templateTexts,
  templateVariableNames,
  type PromptTemplate,
} from './prompt-template';
import { TemplateApplyError } from './template-errors';
import { runByValues, runsByMatch, runsByRender, withText, type MessageRun } from './template-messages';

export { extractVariables } from './template-match';

export interface TemplateApplication {
  call: LlmCall;
  variables: Record<string, unknown>;
  /** True when the span recorded no variables and they were read back from its messages. */
  variablesRecovered: boolean;
  /** Indexes, in the returned call's messages, of the messages rendered from the new version. */
  replacedMessageIndexes: number[];
  warnings: string[];
}

export interface ApplyOptions {
  /** Named in error messages so the user knows which span failed. */
  spanId?: string;
}

/** Linked by name (the call's prompt link names the template), or the template, or `previous`,
 *  matches the call's messages (the span was rendered from it, so its variables are recoverable).
 *  A template that is only placeholders matches any text, so it never links a span that way. */
export function spanMatchesTemplate(call: LlmCall, template: PromptTemplate, previous?: PromptTemplate): boolean {
  const linked = call.prompt?.name;
  if (linked !== undefined && (linked === template.name || (previous !== undefined && linked === previous.name)))
    return true;
  return [template, previous].some(
    (t) => t !== undefined && hasLiteralText(t) && runsByMatch(call.messages, t).length > 0,
  );
}

function hasLiteralText(template: PromptTemplate): boolean {
  return templateTexts(template).some((text) =>
    tokenize(text, template.syntax).some((s) => s.kind === 'text' && s.text.trim() !== ''),
  );
}

/** A text template renders as one user message; applyPromptTemplate gives it the role of the
 *  message it replaces instead. */
export function renderTemplate(
  template: PromptTemplate,
  variables: Record<string, unknown>,
): { role: string; content: string }[] {
  const parts =
    template.kind === 'text'
      ? [{ role: 'user', text: template.text ?? '' }]
      : (template.messages ?? []).map((m) => ({ role: m.role, text: m.content }));
  return parts.map((p) => {
    const r = renderSegments(tokenize(p.text, template.syntax), variables);
    if (r.missing.length) {
      throw new TemplateApplyError(
        'MISSING_VARIABLE',
        `The prompt template${withSpace(describeTemplate(template))} needs ${plural(r.missing, 'variable')} ${quoteList(r.missing)} but no value was given; pass ${r.missing.length > 1 ? 'them' : 'it'} or remove ${r.missing.length > 1 ? 'them' : 'it'} from the template.`,
        r.missing,
      );
    }
    return { role: p.role, content: r.text };
  });
}

/** The old version is the template the span recorded, else `previous`; both are tried when both
 *  exist, the recorded one first since it is what this span really used. */
export function applyPromptTemplate(
  call: LlmCall,
  template: PromptTemplate,
  previous?: PromptTemplate,
  options: ApplyOptions = {},
): TemplateApplication {
  const who = options.spanId ? `Span ${options.spanId}` : 'The span';
  const used = describeLink(call.prompt, previous ?? template);
  const olds = oldTemplates(call, previous);
  const recorded = call.prompt?.variables;
  const warnings: string[] = [];
  let variables: Record<string, unknown>;
  let run: MessageRun;
  let recovered = false;

  if (recorded !== undefined) {
    variables = recorded;
    run =
      locateWithVariables(call, template, olds, recorded, warnings) ??
      fail(
        'MESSAGES_NOT_FOUND',
        `${who} used ${used} with recorded variables, but none of its messages came from that template or contains all the variable values; pick the spans by hand.`,
      );
  } else {
    if (olds.length === 0) {
      fail(
        'VARIABLES_NOT_RECOVERED',
        `${who} used ${used} but recorded no variables and no previous template is known to recover them from its messages; record variables (e.g. Langfuse prompt linking / llm.prompt_template.variables), give the previous version, or pick the spans by hand.`,
      );
    }
    const found =
      olds.map((old) => runsByMatch(call.messages, old)).find((runs) => runs.length > 0) ??
      fail(
        'VARIABLES_NOT_RECOVERED',
        `${who} used ${used} but recorded no variables and its messages do not match the previous template; record variables (e.g. Langfuse prompt linking / llm.prompt_template.variables) or pick the spans by hand.`,
      );
    const { run: first, match } = found[0];
    if (match.ambiguous) {
      const names = Object.keys(match.variables);
      fail(
        'AMBIGUOUS_VARIABLES',
        `${who} used ${used} but recorded no variables, and its messages match the previous template in more than one way (${quoteList(names)}); record variables or pick the spans by hand.`,
        names,
      );
    }
    if (found.length > 1)
      warnings.push(
        `The previous template matches ${found.length} runs of messages; replaced the first (message ${first.start}).`,
      );
    run = first;
    variables = match.variables;
    recovered = true;
  }

  const needed = templateVariableNames(template);
  const missing = needed.filter((n) => !lookupVariable(variables, n).found);
  if (missing.length) {
    fail(
      'MISSING_VARIABLES',
      `${who} used ${used}, but the new version${inParens(describeTemplate(template))} needs ${plural(missing, 'variable')} ${quoteList(missing)} that the span ${recovered ? 'did not have in its messages' : 'did not record'}; remove ${missing.length > 1 ? 'them' : 'it'} from the new version or pick spans that have ${missing.length > 1 ? 'them' : 'it'}.`,
      missing,
    );
  }
  const unused = Object.keys(variables).filter((k) => !needed.some((n) => n === k || n.startsWith(`${k}.`)));
  if (unused.length)
    warnings.push(
      `The new version${inParens(describeTemplate(template))} does not use the recorded ${plural(unused, 'variable')} ${quoteList(unused)}.`,
    );

  const rendered = renderTemplate(template, variables);
  const out = structuredClone(call);
  const replaced = out.messages.slice(run.start, run.start + run.count);
  let fresh: Message[];
  if (template.kind === 'text') {
    fresh = [withText(replaced[0], rendered[0].content)];
    if (run.count > 1)
      warnings.push(
        `The previous chat template produced ${run.count} messages; the text template replaces them with one ${replaced[0].role} message.`,
      );
  } else {
    fresh = rendered.map((r, j) => {
      const role = r.role as Message['role'];
      const before = replaced[j];
      return before && before.role === role
        ? withText(before, r.content)
        : { role, parts: [{ type: 'text', text: r.content }] };
    });
  }
  out.messages.splice(run.start, run.count, ...fresh);
  out.prompt = newLink(call.prompt, template, variables);
  return {
    call: out,
    variables: { ...variables },
    variablesRecovered: recovered,
    replacedMessageIndexes: fresh.map((_, j) => run.start + j),
    warnings,
  };
}

function locateWithVariables(
  call: LlmCall,
  template: PromptTemplate,
  olds: PromptTemplate[],
  variables: Record<string, unknown>,
  warnings: string[],
): MessageRun | undefined {
  for (const old of olds) {
    const runs = runsByRender(call.messages, old, variables);
    if (runs.length > 1)
      warnings.push(
        `${runs.length} runs of messages equal the previous template rendered with the recorded variables; replaced the first (message ${runs[0].start}).`,
      );
    if (runs.length) return runs[0];
  }
  for (const old of olds) {
    const runs = runsByMatch(call.messages, old);
    if (runs.length) {
      warnings.push(
        `The messages differ from the previous template rendered with the recorded variables; replaced message ${runs[0].run.start}, which matches the template, and used the recorded variables.`,
      );
      return runs[0].run;
    }
  }
  // Shape of the old version when known, else of the new one: it decides how many messages to take.
  const run = runByValues(call.messages, olds[0] ?? template, variables);
  if (run) {
    warnings.push(
      `Which ${run.count > 1 ? 'messages' : 'message'} came from the template was inferred (${olds.length ? 'the previous template matches none' : 'no previous template recorded'}): replaced ${run.count > 1 ? `messages ${run.start}-${run.start + run.count - 1}` : `message ${run.start}`}, which contains every recorded variable value.`,
    );
  }
  return run;
}

function oldTemplates(call: LlmCall, previous: PromptTemplate | undefined): PromptTemplate[] {
  const recorded = templateFromPromptLink(call.prompt);
  const out = recorded ? [recorded] : [];
  if (previous && !(recorded && sameTemplate(recorded, previous))) out.push(previous);
  return out;
}

function sameTemplate(a: PromptTemplate, b: PromptTemplate): boolean {
  return a.syntax === b.syntax && JSON.stringify(templateForLink(a)) === JSON.stringify(templateForLink(b));
}

function newLink(
  old: PromptLink | undefined,
  template: PromptTemplate,
  variables: Record<string, unknown>,
): PromptLink {
  const link: PromptLink = {};
  const name = template.name ?? old?.name;
  if (name !== undefined) link.name = name;
  if (template.version !== undefined) link.version = template.version;
  link.template = templateForLink(template);
  link.variables = { ...variables };
  if (old?.source !== undefined) link.source = old.source;
  return link;
}

function describeLink(link: PromptLink | undefined, fallback: PromptTemplate): string {
  const name = link?.name ?? fallback.name;
  if (name === undefined) return 'a prompt template';
  const version = link?.name !== undefined ? link.version : fallback.version;
  return `prompt "${name}"${version !== undefined ? ` version ${version}` : ''}`;
}

function describeTemplate(template: PromptTemplate): string {
  if (template.name !== undefined)
    return `"${template.name}"${template.version !== undefined ? ` version ${template.version}` : ''}`;
  return template.source ?? '';
}

function withSpace(s: string): string {
  return s ? ` ${s}` : '';
}

function inParens(s: string): string {
  return s ? ` (${s})` : '';
}

function plural(list: string[], word: string): string {
  return list.length > 1 ? `${word}s` : word;
}

function quoteList(names: string[]): string {
  return names.map((n) => `"${n}"`).join(', ');
}

function fail(code: TemplateApplyError['code'], message: string, variables: string[] = []): never {
  throw new TemplateApplyError(code, message, variables);
}
