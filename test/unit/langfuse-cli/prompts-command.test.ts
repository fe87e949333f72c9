// `trace-replay prompts`, run in-process on its own program (main.ts registers it once the README
// documents it), with the Langfuse variables set for the run only.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { CliError } from '../../../src/cli/cli-error';
import { registerPromptsCommand } from '../../../src/cli/commands/prompts-command';
import { exitCodeFor } from '../../../src/cli/exit-codes';
import { PlatformConfigError } from '../../../src/core/sources/platform-errors';
import { startFakeLangfuse, type FakeLangfuseServer } from '../../support/fake-langfuse/fake-langfuse-server';
import { langfuseEnv, PROMPTS } from './langfuse-cli-helpers';

async function runPrompts(args: string[], env: Record<string, string>): Promise<string> {
  const program = new Command('trace-replay').exitOverride();
  registerPromptsCommand(program);
  const saved = { ...process.env };
  const log = console.log;
  const lines: string[] = [];
  for (const name of Object.keys(process.env)) if (name.startsWith('LANGFUSE_')) delete process.env[name];
  Object.assign(process.env, env);
  console.log = (...parts: unknown[]) => void lines.push(parts.join(' '));
  try {
    await program.parseAsync(args, { from: 'user' });
    return lines.join('\n');
  } finally {
    console.log = log;
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
  }
}

describe('trace-replay prompts', () => {
  let langfuse: FakeLangfuseServer;
  let dir: string;
  let store: string;
  before(async () => {
    langfuse = await startFakeLangfuse({
      prompts: [
        ...PROMPTS,
        {
          name: 'chat-agent',
          version: 1,
          type: 'chat',
          prompt: [{ role: 'system', content: 'Be {{style}}.' }],
          labels: ['production'],
        },
      ],
    });
    dir = await mkdtemp(path.join(os.tmpdir(), 'tr-prompts-cli-'));
    store = path.join(dir, 'store');
  });
  after(async () => {
    assert.deepEqual(langfuse.violations, []);
    await langfuse.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('lists the versions of a prompt and which version each label points at', async () => {
    const out = JSON.parse(
      await runPrompts(['prompts', 'weather-system', '--json', '--store', store], langfuseEnv(langfuse)),
    ) as { versions: number[]; labelVersions: Record<string, number> };
    // Numeric versions stay numbers, as 0.1 printed them (Phoenix's version ids are strings), newest first.
    assert.deepEqual(out.versions, [4, 3]);
    assert.deepEqual(out.labelVersions, { production: 3, staging: 4, latest: 4 });
    const text = await runPrompts(['prompts', 'weather-system', '--store', store], langfuseEnv(langfuse));
    assert.match(text, /^4\s+staging, latest\s+langfuse:weather-system@4$/m);
    assert.match(text, /^3\s+production\s+langfuse:weather-system@3$/m);
  });

  it('lists the prompts of the project', async () => {
    const text = await runPrompts(['prompts', '--store', store], langfuseEnv(langfuse));
    assert.match(text, /^chat-agent\s+chat\s+1\s+production/m);
    assert.match(text, /^weather-system\s+text\s+4, 3\s+/m);
  });

  it('says what to do for an unknown prompt, a local source, or no connection', async () => {
    await assert.rejects(
      runPrompts(['prompts', 'nope', '--store', store], langfuseEnv(langfuse)),
      (err: unknown) => err instanceof CliError && /There is no prompt "nope"/.test(err.message),
    );
    await assert.rejects(
      runPrompts(['prompts', '--source', 'local', '--store', store], langfuseEnv(langfuse)),
      (err: unknown) => err instanceof CliError && exitCodeFor(err) === 2 && /use --source langfuse/.test(err.message),
    );
    await assert.rejects(
      runPrompts(['prompts', '--store', store], {}),
      (err: unknown) =>
        err instanceof PlatformConfigError &&
        exitCodeFor(err) === 2 &&
        /LANGFUSE_PUBLIC_KEY, LANGFUSE_SECRET_KEY and LANGFUSE_BASE_URL/.test(err.message),
    );
  });
});
