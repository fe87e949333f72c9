// The tool policy of a replay in VS Code: its default (setting traceReplay.replay.tools), how the
// summary of "Replay Trace" names it, and the small pick that changes it (opened from the summary's
// "Tool results" row). `live` (the MCP servers of .vscode/mcp.json, see live-tools.ts) can be picked
// in a trusted workspace that has the file, replaying here; picking it starts the servers and the
// summary lists the tools that will really run. Where it cannot run, its row is inert and says why;
// a server that does not start makes it inert with that sentence.
import * as vscode from 'vscode';
import { TOOL_POLICIES, ToolPolicyError } from '../../core/replay/replay-fork';
import type { ToolPolicy } from '../../core/replay/replay-types';
import { errorMessage } from '../../core/util/error-message';
import { UserError } from '../../core/util/user-error';
import { BACK, type QuickInputs, type StepResult } from '../common/multi-step-input';
import { getSetting, settingId } from '../common/settings';
import type { LiveAvailability, LiveToolsQuestion } from './live-tools';

export interface ToolPolicyItem extends vscode.QuickPickItem {
  policy: ToolPolicy;
  /** Cannot be picked (live where it cannot run): the detail says why. */
  unavailable?: boolean;
}

/** The policy picked, and for live the line naming the tools that will really run. */
export interface ToolChoice {
  policy: ToolPolicy;
  liveTools?: string;
}

const TEXT: Record<ToolPolicy, string> = {
  recorded: 'Recorded: each tool call gets its recorded result; divergences are flagged',
  strict: 'Strict: the first tool call that differs from the recording stops the replay (FAILED)',
  live: 'Live: tool calls run on the MCP servers of .vscode/mcp.json',
};

/** The policy of the setting; `recorded` when it holds anything else (a hand-edited value) or is
 *  live where live cannot run, with the warning saying so. */
export function defaultToolPolicy(live?: LiveToolsQuestion): { policy: ToolPolicy; warning?: string } {
  const value = getSetting('replay.tools');
  if (value === 'live') {
    const available: LiveAvailability = live?.availability() ?? {
      ok: false,
      reason: 'Live tools are not set up here; use Recorded or Strict.',
    };
    if (available.ok) return { policy: 'live' };
    return {
      policy: 'recorded',
      warning: `${settingId('replay.tools')} is live, so the replay uses the recorded tool results: ${available.reason}`,
    };
  }
  if ((TOOL_POLICIES as readonly string[]).includes(value)) return { policy: value as ToolPolicy };
  return {
    policy: 'recorded',
    warning: `${settingId('replay.tools')} is ${JSON.stringify(value)}, not recorded, strict or live; replaying with the recorded tool results.`,
  };
}

export function toolPolicyText(policy: ToolPolicy): string {
  return TEXT[policy];
}

export function toolPolicyItems(live: LiveAvailability): ToolPolicyItem[] {
  return TOOL_POLICIES.map((policy): ToolPolicyItem => {
    if (policy !== 'live')
      return {
        label: policy === 'strict' ? 'Strict' : 'Recorded',
        description: TEXT[policy].replace(/^\w+: /, ''),
        policy,
      };
    if (!live.ok)
      return {
        label: '$(circle-slash) Live',
        description: 'not available',
        detail: live.reason,
        policy,
        unavailable: true,
      };
    return {
      label: '$(plug) Live',
      description: 'tool calls run for real on the MCP servers of .vscode/mcp.json',
      detail: 'Picking it starts the servers and lists the tools that will really run',
      policy,
    };
  });
}

/** The pick of the summary's Tool results row; resolves with the choice, BACK or undefined. Live
 *  starts the servers first; when they do not start, the pick shows again with live inert and why. */
export async function askToolPolicy(
  inputs: QuickInputs,
  title: string,
  current: ToolPolicy,
  live?: LiveToolsQuestion,
): Promise<StepResult<ToolChoice>> {
  let failure: string | undefined;
  for (;;) {
    const available: LiveAvailability =
      failure !== undefined
        ? { ok: false, reason: failure }
        : (live?.availability() ?? { ok: false, reason: 'Live tools are not set up here; use Recorded or Strict.' });
    const items = toolPolicyItems(available);
    const picked = await inputs.pickOne<ToolPolicyItem>({
      title: `${title}: tool results`,
      back: true,
      items,
      activeItem: items.find((i) => i.policy === current),
      placeholder: 'Where replayed tool calls get their results',
      inert: (i) => i.unavailable === true,
    });
    if (picked === undefined || picked === BACK) return picked;
    if (picked.policy !== 'live' || !live) return { policy: picked.policy };
    try {
      return { policy: 'live', liveTools: await live.prepare() };
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      // A closed input box: live stays pickable; anything else: not offered again here.
      if (err.kind !== 'cancelled') failure = errorMessage(err);
    }
  }
}

/** The summary's state with live made concrete: a live policy (from the setting) starts the servers
 *  to name the tools that will really run; when they do not start, recorded, with the reason. */
export async function withLiveTools<S extends { toolPolicy: ToolPolicy; liveTools?: string; liveProblem?: string }>(
  s: S,
  live: LiveToolsQuestion | undefined,
): Promise<S> {
  if (s.toolPolicy !== 'live' || s.liveTools !== undefined) return s;
  try {
    if (!live) throw new ToolPolicyError('Live tools are not set up here; use Recorded or Strict.');
    return { ...s, liveTools: await live.prepare() };
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    return { ...s, toolPolicy: 'recorded', liveProblem: errorMessage(err) };
  }
}
