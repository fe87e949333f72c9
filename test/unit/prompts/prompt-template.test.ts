import { strict as assert } from 'node:assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  loadPromptTemplateFile,
  parsePromptTemplate,
  templateFromPromptLink,
  templateVariableNames,
} from '../../../src/core/prompts/prompt-template';
import { TemplateParseError } from '../../../src/core/prompts/template-errors';

function parseError(code: TemplateParseError['code']) {
  return (err: unknown) => err instanceof TemplateParseError && err.code === code;
}

describe('prompts: template files', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'prompt-template-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a plain text file: CRLF as LF, one final newline dropped, syntax detected', () => {
    assert.deepEqual(parsePromptTemplate('Hello {{name}}\r\nBye\n', { fileName: 'greet.txt' }), {
      kind: 'text',
      text: 'Hello {{name}}\nBye',
      syntax: 'mustache',
      source: 'greet.txt',
    });
    assert.equal(parsePromptTemplate('Hello {name}\n\n', { fileName: 'greet.prompt' }).text, 'Hello {name}\n');
    assert.equal(parsePromptTemplate('Hello {name}', { fileName: 'greet.md' }).syntax, 'fstring');
  });

  it('reads front matter (name, version, syntax; quotes; comments; unknown keys ignored)', () => {
    const t = parsePromptTemplate(
      '---\nname: support-answer\nversion: "7"\n# note\ndescription: x\nsyntax: fstring\n---\nAnswer {q}\n',
      { fileName: 'a.md' },
    );
    assert.deepEqual(t, {
      kind: 'text',
      text: 'Answer {q}',
      syntax: 'fstring',
      name: 'support-answer',
      version: '7',
      source: 'a.md',
    });
  });

  it('keeps text starting with a Markdown rule as template text', () => {
    const content = '---\nA rule, not front matter\n---\nQ: {{q}}';
    assert.equal(parsePromptTemplate(content, { fileName: 'a.md' }).text, content);
    assert.throws(
      () => parsePromptTemplate('---\nsyntax: jinja\n---\nx', { fileName: 'a.txt' }),
      parseError('INVALID_SHAPE'),
    );
  });

  it('reads the Langfuse prompt JSON shape, text and chat', () => {
    assert.deepEqual(
      parsePromptTemplate(
        JSON.stringify({
          name: 'qa',
          version: 3,
          type: 'text',
          prompt: 'Q: {{q}}',
          config: {},
          labels: ['production'],
        }),
        { fileName: 'qa.json' },
      ),
      { kind: 'text', text: 'Q: {{q}}', syntax: 'mustache', name: 'qa', version: '3', source: 'qa.json' },
    );
    const chat = parsePromptTemplate(
      JSON.stringify({
        name: 'qa',
        type: 'chat',
        prompt: [
          { type: 'chatmessage', role: 'system', content: 'Be {{tone}}.' },
          { role: 'user', content: '{{q}}' },
        ],
      }),
      { fileName: 'qa.json' },
    );
    assert.deepEqual(chat, {
      kind: 'chat',
      syntax: 'mustache',
      name: 'qa',
      source: 'qa.json',
      messages: [
        { role: 'system', content: 'Be {{tone}}.' },
        { role: 'user', content: '{{q}}' },
      ],
    });
    assert.deepEqual(templateVariableNames(chat), ['tone', 'q']);
  });

  it('reads a bare array of chat messages, developer read as system', () => {
    const t = parsePromptTemplate(
      JSON.stringify([
        { role: 'developer', content: 'Rules' },
        { role: 'user', content: 'Hi {name}' },
      ]),
      { fileName: 'c.json' },
    );
    assert.deepEqual(t.messages, [
      { role: 'system', content: 'Rules' },
      { role: 'user', content: 'Hi {name}' },
    ]);
    assert.equal(t.syntax, 'fstring');
  });

  it('rejects malformed JSON templates with typed errors', () => {
    assert.throws(() => parsePromptTemplate('{"prompt": ', { fileName: 'x.json' }), parseError('INVALID_JSON'));
    for (const bad of [
      { nope: 1 },
      { type: 'chat', prompt: 'text' },
      { type: 'text', prompt: [{ role: 'user', content: 'x' }] },
      { prompt: [{ type: 'placeholder', name: 'history' }] },
      { prompt: [{ role: 'tool', content: 'x' }] },
      { prompt: [] },
      { prompt: 3 },
    ]) {
      assert.throws(
        () => parsePromptTemplate(JSON.stringify(bad), { fileName: 'x.json' }),
        parseError('INVALID_SHAPE'),
        JSON.stringify(bad),
      );
    }
  });

  it('sniffs JSON only when there is no file name and the content has a template shape', () => {
    assert.equal(parsePromptTemplate('[{"role":"user","content":"{{q}}"}]').kind, 'chat');
    assert.deepEqual(parsePromptTemplate('{question}?'), { kind: 'text', text: '{question}?', syntax: 'fstring' });
    assert.equal(parsePromptTemplate('{"a": 1}').kind, 'text');
  });

  it('lets options override name, version and syntax', () => {
    const t = parsePromptTemplate('---\nname: a\nversion: 1\n---\nHi {{x}}', {
      fileName: 'a.txt',
      name: 'b',
      version: '2',
      syntax: 'fstring',
    });
    assert.deepEqual([t.name, t.version, t.syntax], ['b', '2', 'fstring']);
  });

  it('rejects unsupported syntax when the file is read, strictly for Jinja files', () => {
    assert.throws(
      () => parsePromptTemplate('{{#items}}{{.}}{{/items}}', { fileName: 'a.mustache' }),
      parseError('UNSUPPORTED_SYNTAX'),
    );
    assert.equal(parsePromptTemplate('Hi {{ name }}', { fileName: 'a.jinja' }).text, 'Hi {{ name }}');
    assert.throws(
      () => parsePromptTemplate('{% for d in docs %}{{ d }}{% endfor %}', { fileName: 'a.jinja' }),
      parseError('UNSUPPORTED_SYNTAX'),
    );
    assert.throws(
      () => parsePromptTemplate('{{ name | upper }}', { fileName: 'a.j2' }),
      parseError('UNSUPPORTED_SYNTAX'),
    );
  });

  it('loads files from disk, with the path as source, and fails clearly on a missing file', async () => {
    const path = join(dir, 'qa.json');
    await writeFile(path, JSON.stringify({ name: 'qa', version: 4, prompt: 'Q: {{q}}' }));
    assert.deepEqual(await loadPromptTemplateFile(path, { version: '5' }), {
      kind: 'text',
      text: 'Q: {{q}}',
      syntax: 'mustache',
      name: 'qa',
      version: '5',
      source: path,
    });
    const missing = join(dir, 'missing.txt');
    await assert.rejects(loadPromptTemplateFile(missing), (err: unknown) => {
      assert.ok(err instanceof TemplateParseError);
      assert.equal(err.code, 'UNREADABLE_FILE');
      assert.equal(err.message, `Cannot read the prompt template ${missing} (it does not exist); check the path.`);
      return true;
    });
  });

  it('turns a recorded prompt link into the old template, or nothing when it has none or it does not parse', () => {
    assert.deepEqual(
      templateFromPromptLink({ name: 'w', version: 'v1', template: 'Weather in {city}?', source: 'openinference' }),
      { kind: 'text', text: 'Weather in {city}?', syntax: 'fstring', name: 'w', version: 'v1' },
    );
    assert.equal(templateFromPromptLink({ template: [{ role: 'user', content: 'Hi {{x}}' }] })?.kind, 'chat');
    assert.equal(templateFromPromptLink({ name: 'w' }), undefined);
    assert.equal(templateFromPromptLink({ template: 'Total {price:.2f} for {item}' }), undefined);
    assert.equal(templateFromPromptLink(undefined), undefined);
  });
});
