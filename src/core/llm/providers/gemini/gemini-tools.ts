// The tools of a Gemini request: tools = [{functionDeclarations}] and toolConfig =
// {functionCallingConfig: {mode, allowedFunctionNames?}} (ai.google.dev/api/generate-content).
import type { ToolChoice, ToolDefinition } from '../../../model/trace';
import { put, type BuildContext, type Json } from '../../request-common';
import { isGeminiSchema, warnUnenforced } from './gemini-schema';

export function geminiTools(ctx: BuildContext, tools: ToolDefinition[]): Json[] {
  const declarations = tools.map((t) => {
    const declaration: Json = { name: t.name };
    put(declaration, 'description', t.description);
    if (t.parameters === undefined) return declaration;
    if (isGeminiSchema(t.parameters)) declaration.parameters = t.parameters;
    else {
      // JSON Schema as recorded: parametersJsonSchema takes it as it is (the proto `parameters`
      // field refuses $schema, additionalProperties, const, ... with a 400).
      warnUnenforced(ctx, t.parameters, `tool ${t.name}`);
      declaration.parametersJsonSchema = t.parameters;
    }
    return declaration;
  });
  return [{ functionDeclarations: declarations }];
}

export function geminiToolConfig(choice: ToolChoice, tools: ToolDefinition[] | undefined, ctx: BuildContext): Json {
  if (typeof choice !== 'string') {
    if (!(tools ?? []).some((t) => t.name === choice.name)) {
      ctx.warnings.push(
        `tool_choice names ${choice.name}, which is not among the tools sent; Gemini may refuse the request.`,
      );
    }
    return { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [choice.name] } };
  }
  const mode = choice === 'required' ? 'ANY' : choice === 'none' ? 'NONE' : 'AUTO';
  return { functionCallingConfig: { mode } };
}
