// Langfuse records only the name and version of the prompt a generation used; the recorded
// template is what lets a new version's variables be recovered from the recorded messages. So a
// trace read from Langfuse gets the templates of its linked versions (one request per version).
import type { Span, Trace } from '../../model/trace';
import { templateForLink } from '../../prompts/prompt-template';
import { TemplateParseError } from '../../prompts/template-errors';
import { LangfusePromptNotFoundError } from './langfuse-errors';
import type { LangfusePrompts } from './langfuse-prompts';

/** Fills `prompt.template` of LLM spans linked to a Langfuse prompt version. A version Langfuse no
 *  longer has, or cannot be replayed (message placeholders), is noted on the span and left out. */
export async function linkRecordedPrompts(trace: Trace, prompts: LangfusePrompts): Promise<void> {
  for (const span of trace.spans) {
    const link = span.llm?.prompt;
    if (!link?.name || link.template !== undefined || link.version === undefined) continue;
    const version = Number(link.version);
    if (!Number.isInteger(version)) continue;
    try {
      link.template = templateForLink(await prompts.getPrompt(link.name, { version }));
    } catch (err) {
      if (!(err instanceof LangfusePromptNotFoundError) && !(err instanceof TemplateParseError)) throw err;
      addWarning(span, `The linked Langfuse prompt ${link.name} version ${version} could not be read (${err.message})`);
    }
  }
}

function addWarning(span: Span, warning: string): void {
  span.warnings = [...(span.warnings ?? []), warning];
}
