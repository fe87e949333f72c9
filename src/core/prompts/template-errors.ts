// Typed errors of the prompt-template override. Callers branch on `code`, never on the message;
// messages are one sentence a user can act on (the replay engine shows them per span).
import { UserError } from '../util/user-error';

export type TemplateParseErrorCode = 'UNREADABLE_FILE' | 'INVALID_JSON' | 'INVALID_SHAPE' | 'UNSUPPORTED_SYNTAX';

export class TemplateParseError extends UserError {
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
  | 'MISSING_VARIABLE'
  /** The new version uses variables the span did not record (or that could not be recovered). */
  | 'MISSING_VARIABLES'
  /** No recorded variables, and the previous template is unknown or matches none of the messages. */
  | 'VARIABLES_NOT_RECOVERED'
  /** The previous template matches the messages in more than one way, so the values are a guess. */
  | 'AMBIGUOUS_VARIABLES'
  /** Variables were recorded but no message could be tied to the template. */
  | 'MESSAGES_NOT_FOUND';

export class TemplateApplyError extends UserError {
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
