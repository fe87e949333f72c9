// JSON with comments, as VS Code writes its own files (.vscode/mcp.json, settings.json): `//` and
// `/* */` comments and trailing commas are allowed. Parsed with VS Code's own `jsonc-parser`.
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';

/** Parses JSON with comments and trailing commas; throws a SyntaxError naming the first problem
 *  and its line and column otherwise. */
export function parseJsonc(text: string): unknown {
  const errors: ParseError[] = [];
  const value = parse(text, errors, { allowTrailingComma: true, disallowComments: false }) as unknown;
  if (errors.length > 0) {
    const first = errors[0];
    const before = text.slice(0, first.offset).split('\n');
    throw new SyntaxError(
      `${printParseErrorCode(first.error)} at line ${before.length}, column ${before[before.length - 1].length + 1}`,
    );
  }
  return value;
}
