// Phoenix prompt versions as replay templates, over real HTTP against the fake Phoenix: by version
// id, by tag (# and the issue's @<tag>), the latest version, the version list with tags, and the
// conversion of Phoenix's templates (roles, text parts, MUSTACHE / F_STRING / NONE) with the
// refusals a replay cannot honour.
import { strict as assert } from 'node:assert';
import type { PromptTemplate } from '../../../src/core/prompts/prompt-template';
import { templateVariableNames } from '../../../src/core/prompts/prompt-template';
import { TemplateParseError } from '../../../src/core/prompts/template-errors';
import { PhoenixPromptNotFoundError } from '../../../src/core/sources/phoenix/phoenix-errors';
import {
  startFakePhoenix,
  type FakePhoenixPrompts,
  type FakePhoenixServer,
} from '../../support/fake-phoenix/fake-phoenix-server';
import { openPhoenix } from './phoenix-test-helpers';

const openai = {
  model_provider: 'OPENAI',
  model_name: 'gpt-4o-mini',
  invocation_parameters: { type: 'openai', openai: { temperature: 0.2 } },
};

const PROMPTS: FakePhoenixPrompts = {
  'support-bot': [
    {
      ...openai,
      description: 'first',
      template_format: 'MUSTACHE',
      tags: ['staging'],
      template: {
        type: 'chat',
        messages: [
          { role: 'system', content: 'You help with {{product}}.' },
          { role: 'user', content: '{{question}}' },
        ],
      },
    },
    {
      ...openai,
      description: 'shorter',
      template_format: 'MUSTACHE',
      tags: ['production'],
      template: {
        type: 'chat',
        messages: [
          {
            role: 'developer',
            content: [
              { type: 'text', text: 'Help with ' },
              { type: 'text', text: '{{product}}, briefly.' },
            ],
          },
          { role: 'user', content: '{{question}}' },
        ],
      },
    },
  ],
  summarize: [
    {
      ...openai,
      template_format: 'F_STRING',
      template: { type: 'string', template: 'Summarize {text} in {words} words.' },
    },
  ],
  literal: [
    {
      ...openai,
      template_format: 'NONE',
      template: {
        type: 'chat',
        messages: [
          { role: 'system', content: 'Answer as JSON like {"a": {{b}}} and {c}.' },
          { role: 'user', content: 'Go.' },
        ],
      },
    },
  ],
  'literal-plain': [
    { ...openai, template_format: 'NONE', template: { type: 'string', template: 'Reply with {"ok": true} only.' } },
  ],
  'with-tool-call': [
    {
      ...openai,
      template_format: 'MUSTACHE',
      template: {
        type: 'chat',
        messages: [
          { role: 'user', content: 'Weather?' },
          {
            role: 'assistant',
            content: [
              {
                type: 'tool_call',
                tool_call_id: 'c1',
                tool_call: { type: 'function', name: 'get_weather', arguments: '{}' },
              },
            ],
          },
        ],
      },
    },
  ],
  'with-tool-role': [
    {
      ...openai,
      template_format: 'MUSTACHE',
      template: {
        type: 'chat',
        messages: [
          { role: 'user', content: 'Hi' },
          { role: 'tool', content: 'sunny' },
        ],
      },
    },
  ],
};

describe('Phoenix prompts', () => {
  let server: FakePhoenixServer;
  beforeEach(async () => {
    server = await startFakePhoenix({ prompts: PROMPTS });
  });
  afterEach(async () => {
    assert.deepEqual(server.violations, [], "requests and answers match Phoenix's OpenAPI document");
    await server.close();
  });

  async function prompts() {
    const session = await openPhoenix(server);
    assert.ok(session.prompts);
    return session.prompts;
  }

  it("lists prompts with their versions newest first, and a prompt's versions with tags and descriptions", async () => {
    const p = await prompts();
    const list = await p.list();
    const bot = list.find((x) => x.name === 'support-bot');
    assert.ok(bot);
    assert.equal(bot.type, 'chat');
    assert.equal(bot.versions.length, 2);
    assert.equal(list.find((x) => x.name === 'summarize')?.type, 'text');
    const versions = await p.versions('support-bot', { resolveLabels: true });
    assert.ok(versions);
    assert.deepEqual(versions.versions, bot.versions);
    const [newest, oldest] = versions.versions;
    assert.deepEqual(versions.labelVersions, { production: newest, staging: oldest });
    assert.deepEqual(versions.labels.sort(), ['production', 'staging']);
    assert.deepEqual(versions.descriptions, { [newest]: 'shorter', [oldest]: 'first' });
    assert.equal(await p.versions('no-such-prompt'), undefined);
  });

  it('gets the latest version, a version by id, a tag with # and with @, as mustache chat templates', async () => {
    const p = await prompts();
    const [newest, oldest] = (await p.versions('support-bot'))!.versions;
    const latest = await p.get('support-bot');
    assert.deepEqual(latest, {
      name: 'support-bot',
      version: newest,
      source: `phoenix:support-bot@${newest}`,
      kind: 'chat',
      syntax: 'mustache',
      messages: [
        { role: 'system', content: 'Help with {{product}}, briefly.' },
        { role: 'user', content: '{{question}}' },
      ],
    } satisfies PromptTemplate);
    const first = await p.get('support-bot', { version: oldest });
    assert.equal(first.version, oldest);
    assert.deepEqual(templateVariableNames(first), ['product', 'question']);
    assert.equal((await p.get('support-bot', { label: 'staging' })).version, oldest);
    // `phoenix:support-bot@production`: not a version id of the prompt, so a tag.
    assert.equal((await p.get('support-bot', { version: 'production' })).version, newest);
  });

  it('says which prompt, version or tag is missing', async () => {
    const p = await prompts();
    const [, oldest] = (await p.versions('support-bot'))!.versions;
    await assert.rejects(
      p.get('no-such-prompt'),
      (e: unknown) =>
        e instanceof PhoenixPromptNotFoundError &&
        e.code === 'PROMPT_NOT_FOUND' &&
        /"no-such-prompt" \(latest version\)/.test(e.message),
    );
    await assert.rejects(
      p.get('support-bot', { label: 'qa' }),
      (e: unknown) => e instanceof PhoenixPromptNotFoundError && /\(tag qa\)/.test(e.message),
    );
    await assert.rejects(
      p.get('support-bot', { version: 'UHJvbXB0VmVyc2lvbjo5OQ==' }),
      (e: unknown) =>
        e instanceof PhoenixPromptNotFoundError && /version or tag UHJvbXB0VmVyc2lvbjo5OQ==/.test(e.message),
    );
    // A version of another prompt is not a version of this one.
    await assert.rejects(p.get('summarize', { version: oldest }), PhoenixPromptNotFoundError);
    await assert.rejects(p.get('Not A Name'), PhoenixPromptNotFoundError);
  });

  it('converts F_STRING and string templates, and NONE to text without variables', async () => {
    const p = await prompts();
    const s = await p.get('summarize');
    assert.equal(s.kind, 'text');
    assert.equal(s.syntax, 'fstring');
    assert.deepEqual(templateVariableNames(s), ['text', 'words']);
    const literal = await p.get('literal');
    assert.equal(literal.kind, 'chat');
    assert.deepEqual(templateVariableNames(literal), [], 'NONE: nothing is a variable');
    // Both syntaxes would read a variable here, so braces are escaped the f-string way.
    assert.equal(literal.syntax, 'fstring');
    assert.equal(literal.messages?.[0].content, 'Answer as JSON like {{"a": {{{{b}}}}}} and {{c}}.');
    // When one syntax reads no variable, the text is kept as written.
    const plain = await p.get('literal-plain');
    assert.deepEqual([plain.kind, plain.syntax, plain.text], ['text', 'mustache', 'Reply with {"ok": true} only.']);
    assert.deepEqual(templateVariableNames(plain), []);
  });

  it('refuses versions a replay cannot send as they are, naming the fix', async () => {
    const p = await prompts();
    await assert.rejects(
      p.get('with-tool-call'),
      (e: unknown) =>
        e instanceof TemplateParseError &&
        e.code === 'INVALID_SHAPE' &&
        /tool_call part in message 2.*use a version whose messages hold only text/.test(e.message),
    );
    await assert.rejects(
      p.get('with-tool-role'),
      (e: unknown) =>
        e instanceof TemplateParseError && /role "tool".*use a version without tool messages/.test(e.message),
    );
  });
});
