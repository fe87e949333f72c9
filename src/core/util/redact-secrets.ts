// Credentials must never reach a message we print or store: a base URL may carry a password
// (`http://user:pass@host`), and SDK and fetch errors quote the URL they failed on. Every error text
// that leaves the process or lands in the store goes through here.
import { errorMessage } from './error-message';

// scheme://userinfo@ — userinfo cannot hold '/', '?', '#' or '@' unencoded.
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]+@/gi;

/** The text with the user and password of every URL in it replaced by `***`. */
export function redactSecrets(text: string): string {
  return text.replace(URL_USERINFO, '$1***@');
}

/** The message of anything thrown, redacted. */
export function redactedMessage(err: unknown): string {
  return redactSecrets(errorMessage(err));
}
