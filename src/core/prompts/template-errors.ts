// Typed errors of the prompt-template override. Callers branch on `code`, never on the message;
// messages are one sentence a user can act on (the replay engine shows them per span).

export type TemplateParseErrorCode = 'unreadable-file' | 'invalid-json' | 'invalid-shape' | 'unsupported-syntax';

export class TemplateParseError extends Error {
  override name = 'TemplateParseError';
  constructor(
    readonly code: TemplateParseErrorCode,
    message: string,
    readonly source?: string,
  ) {
    super(message);
  }
}

export type TemplateApplyErrorCode =
  /** Rendering needs a variable the caller did not give. */
  | 'missing-variable'
  /** The new version uses variables the span did not record (or that could not be recovered). */
  | 'missing-variables'
  /** No recorded variables, and the previous template is unknown or matches none of the messages. */
  | 'variables-not-recovered'
  /** The previous template matches the messages in more than one way, so the values are a guess. */
  | 'ambiguous-variables'
  /** Variables were recorded but no message could be tied to the template. */
  | 'messages-not-found';

export class TemplateApplyError extends Error {
  override name = 'TemplateApplyError';
  constructor(
    readonly code: TemplateApplyErrorCode,
    message: string,
    /** Variable names the error is about, when it is about variables. */
    readonly variables: string[] = [],
  ) {
    super(message);
  }
}
