// Reads prompt versions named by template refs (`langfuse:support@3`, `phoenix[prod]:support#staging`)
// from their platforms, opening each connection once. A ref that names no connection is read from
// the `preferred` session when it is on the same platform (the traces' own connection), else from
// the platform's default connection.
import type { PromptTemplate } from '../prompts/prompt-template';
import { formatTemplateRef, type TemplatePromptRef } from '../prompts/template-ref';
import { DEFAULT_CONNECTION_NAME, type PlatformSession } from '../sources/platform';
import { PlatformCapabilityError } from '../sources/platform-errors';
import { requirePlatform } from '../sources/platform-registry';
import type { SessionOpener } from './platform-replay';

export interface PromptVersionReader {
  (ref: TemplatePromptRef): Promise<PromptTemplate>;
  /** The session a ref is read through (opened on first use). */
  sessionFor(ref: TemplatePromptRef): Promise<PlatformSession>;
}

export function promptVersionReader(open: SessionOpener, preferred?: PlatformSession): PromptVersionReader {
  const sessions = new Map<string, Promise<PlatformSession>>();
  const sessionFor = (ref: TemplatePromptRef): Promise<PlatformSession> => {
    if (ref.connection === undefined && preferred?.descriptor.id === ref.platform) return Promise.resolve(preferred);
    if (preferred?.descriptor.id === ref.platform && preferred.connection.name === ref.connection)
      return Promise.resolve(preferred);
    const key = `${ref.platform}\n${ref.connection ?? ''}`;
    let session = sessions.get(key);
    if (!session) {
      session = open(requirePlatform(ref.platform), ref.connection ?? DEFAULT_CONNECTION_NAME);
      sessions.set(key, session);
    }
    return session;
  };
  const read = async (ref: TemplatePromptRef): Promise<PromptTemplate> => {
    const session = await sessionFor(ref);
    if (!session.prompts)
      throw new PlatformCapabilityError(
        `${session.descriptor.displayName} keeps no prompt versions, so ${formatTemplateRef(ref)} cannot be read; give a template file instead.`,
      );
    return session.prompts.get(ref.name, { version: ref.version, label: ref.label });
  };
  return Object.assign(read, { sessionFor });
}
