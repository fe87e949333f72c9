// The tool policy of a replay in VS Code: its default (setting traceReplay.replay.tools), how the
// summary of "Replay Trace" names it, and the small pick that changes it (opened from the summary's
// "Tool results" row). `live` is listed but cannot be picked until live tools land: its row says why.
import * as vscode from 'vscode';
import { TOOL_POLICIES } from '../../core/replay/replay-fork';
import type { ToolPolicy } from '../../core/replay/replay-types';
import { BACK, type QuickInputs, type StepResult } from '../common/multi-step-input';
import { getSetting, settingId } from '../common/settings';

export interface ToolPolicyItem extends vscode.QuickPickItem {
  policy: ToolPolicy;
  /** Cannot be picked (live, for now): the detail says why. */
  unavailable?: boolean;
}

const TEXT: Record<ToolPolicy, string> = {
  recorded: 'Recorded: each tool call gets its recorded result; divergences are flagged',
  strict: 'Strict: the first tool call that differs from the recording stops the replay (FAILED)',
  live: 'Live: tool calls run on an MCP server',
};

export const LIVE_UNAVAILABLE =
  'Live tools need an MCP server connection, which this version of Trace Replay cannot run yet; use Recorded or Strict.';

/** The policy of the setting, `recorded` when it holds anything else (a hand-edited value). */
export function defaultToolPolicy(): { policy: ToolPolicy; warning?: string } {
  const value = getSetting('replay.tools');
  if (value === 'live')
    return { policy: 'recorded', warning: `${settingId('replay.tools')} is live: ${LIVE_UNAVAILABLE}` };
  if ((TOOL_POLICIES as readonly string[]).includes(value)) return { policy: value as ToolPolicy };
  return {
    policy: 'recorded',
    warning: `${settingId('replay.tools')} is ${JSON.stringify(value)}, not recorded, strict or live; replaying with the recorded tool results.`,
  };
}

export function toolPolicyText(policy: ToolPolicy): string {
  return TEXT[policy];
}

export function toolPolicyItems(): ToolPolicyItem[] {
  return TOOL_POLICIES.map((policy) =>
    policy === 'live'
      ? {
          label: '$(circle-slash) Live',
          description: 'not available yet',
          detail: LIVE_UNAVAILABLE,
          policy,
          unavailable: true,
        }
      : { label: policy === 'strict' ? 'Strict' : 'Recorded', description: TEXT[policy].replace(/^\w+: /, ''), policy },
  );
}

/** The pick of the summary's Tool results row; resolves with the policy, BACK or undefined. */
export async function askToolPolicy(
  inputs: QuickInputs,
  title: string,
  current: ToolPolicy,
): Promise<StepResult<ToolPolicy>> {
  const items = toolPolicyItems();
  const picked = await inputs.pickOne<ToolPolicyItem>({
    title: `${title}: tool results`,
    back: true,
    items,
    activeItem: items.find((i) => i.policy === current),
    placeholder: 'Where replayed tool calls get their results',
    inert: (i) => i.unavailable === true,
  });
  if (picked === undefined || picked === BACK) return picked;
  return picked.policy;
}
