// What fixes an error, as a button: the one table from a NextAction (what a UserError's `next`, or
// a failed job's stored code, says would fix it) to the button's label and the command it runs.
// One label per action everywhere (these constants); the notifications reporter (notifications.ts)
// turns a row into a clickable fix. No `vscode` import: unit-tested in Node.
import { normalizeErrorCode, type NextAction } from '../../core/util/user-error';
import { findPlatform } from '../../core/sources/platform-registry';
import { CommandId, connectCommandId } from './command-ids';

export const SET_API_KEY_BUTTON = 'Set API Key...';
export const CHOOSE_MODEL_BUTTON = 'Choose Model...';
export const START_RECEIVER_BUTTON = 'Start Receiver';
export const IMPORT_TRACES_BUTTON = 'Import Traces...';
export const OPEN_SETTINGS_BUTTON = 'Open Settings';
export const OPEN_OUTPUT_BUTTON = 'Open Output';

/** "Connect Langfuse...", "Connect Arize Phoenix..." (the platform id when the registry has no such platform). */
export function connectButton(platform: string): string {
  return `Connect ${findPlatform(platform)?.displayName ?? platform}...`;
}

/** VS Code's command that opens the Settings editor on a setting (its argument is the setting id). */
export const OPEN_SETTINGS_COMMAND = 'workbench.action.openSettings';

/** A button as data: its label and the command (with its arguments) it runs. */
export interface FixCommand {
  title: string;
  command: string;
  args: unknown[];
}

/** What the fix is about, where the action needs it: the traces "Choose Model..." asks again for
 *  (none: "Replay Trace" asks for the trace too). */
export interface FixTarget {
  traceIds?: readonly string[];
}

/** The button of a NextAction. */
export function nextActionCommand(next: NextAction, target: FixTarget = {}): FixCommand {
  switch (next.kind) {
    case 'set-api-key':
      // No provider (a failed job of the recorded model): the command asks which key.
      return {
        title: SET_API_KEY_BUTTON,
        command: CommandId.SetApiKey,
        args: next.provider ? [{ provider: next.provider }] : [],
      };
    case 'choose-model': {
      const ids = target.traceIds ?? [];
      return ids.length > 1
        ? { title: CHOOSE_MODEL_BUTTON, command: CommandId.ReplaySelectedTraces, args: [[...ids]] }
        : { title: CHOOSE_MODEL_BUTTON, command: CommandId.ReplayTrace, args: ids.length ? [ids[0]] : [] };
    }
    case 'connect-platform':
      return {
        title: connectButton(next.platform),
        command: connectCommandId({ id: next.platform }),
        args: next.connection !== undefined ? [{ name: next.connection }] : [],
      };
    case 'start-receiver':
      return { title: START_RECEIVER_BUTTON, command: CommandId.StartReceiver, args: [] };
    case 'import-traces':
      return { title: IMPORT_TRACES_BUTTON, command: CommandId.ImportTraces, args: [] };
    case 'open-settings':
      return { title: OPEN_SETTINGS_BUTTON, command: OPEN_SETTINGS_COMMAND, args: [next.setting] };
  }
}

/** The fix of a failed job, from its stored error code (UPPER_SNAKE; a 0.1 kebab code reads the
 *  same): a stored job keeps its code, not its error object. A missing key is the key of the
 *  provider the job's model names (`anthropic:claude-...`); with no provider in it (the recorded
 *  model), the provider is '' and "Set API Key..." asks which key. Undefined: no action fixes it. */
export function nextActionOfFailedJob(job: {
  errorCode?: string;
  overrides?: { model?: string };
}): NextAction | undefined {
  switch (job.errorCode === undefined ? undefined : normalizeErrorCode(job.errorCode)) {
    case 'MISSING_API_KEY': {
      const model = job.overrides?.model ?? '';
      const colon = model.indexOf(':');
      return { kind: 'set-api-key', provider: colon > 0 ? model.slice(0, colon) : '' };
    }
    case 'UNKNOWN_MODEL':
    case 'UNKNOWN_PROVIDER':
      return { kind: 'choose-model' };
    default:
      return undefined;
  }
}
