import { strict as assert } from 'node:assert';
import { renderTemplate } from '../../../src/core/prompts/apply-template';
import { detectSyntax, tokenize } from '../../../src/core/prompts/placeholders';
import type { PromptTemplate } from '../../../src/core/prompts/prompt-template';
import { TemplateApplyError, TemplateParseError } from '../../../src/core/prompts/template-errors';

const text = (t: string, syntax = detectSyntax(t)): PromptTemplate => ({ kind: 'text', text: t, syntax });

describe('prompts: placeholder syntax and rendering', () => {
  it('renders mustache with spacing, triple braces, & and dotted names, without HTML escaping', () => {
    const out = renderTemplate(text('Hi {{name}}, {{ city }} / {{{html}}} / {{& html}} / {{user.tier}}'), {
      name: 'Ann',
      city: 'Paris',
      html: '<b>"x" & y</b>',
      user: { tier: 'gold' },
    });
    assert.deepEqual(out, [{ role: 'user', content: 'Hi Ann, Paris / <b>"x" & y</b> / <b>"x" & y</b> / gold' }]);
  });

  it('prefers a flat dotted key, and renders numbers, booleans, null and objects', () => {
    const out = renderTemplate(text('{{a.b}} {{n}} {{t}} [{{z}}] {{o}}'), {
      'a.b': 'flat',
      a: { b: 'nested' },
      n: 3,
      t: false,
      z: null,
      o: { k: [1] },
    });
    assert.equal(out[0].content, 'flat 3 false [] {"k":[1]}');
  });

  it('drops mustache comments and keeps non-name braces (JSON examples) literal', () => {
    const out = renderTemplate(text('{{! internal note }}Answer as {{"a": 1}} for {{q}}'), { q: 'why' });
    assert.equal(out[0].content, 'Answer as {{"a": 1}} for why');
  });

  it('renders f-strings with {{ and }} as literal braces', () => {
    const t = text('Reply as JSON {{"city": "{city}"}} for {user.name}; lone } and { stay', 'fstring');
    assert.equal(
      renderTemplate(t, { city: 'Oslo', user: { name: 'Bo' } })[0].content,
      'Reply as JSON {"city": "Oslo"} for Bo; lone } and { stay',
    );
  });

  it('renders a chat template message by message', () => {
    const t: PromptTemplate = {
      kind: 'chat',
      syntax: 'mustache',
      messages: [
        { role: 'system', content: 'You help {{team}}.' },
        { role: 'user', content: '{{question}}' },
      ],
    };
    assert.deepEqual(renderTemplate(t, { team: 'sales', question: 'Price?' }), [
      { role: 'system', content: 'You help sales.' },
      { role: 'user', content: 'Price?' },
    ]);
  });

  it('throws a typed error naming every missing variable', () => {
    const t = { ...text('{{a}} {{b}} {{c}}'), name: 'greet', version: '2' };
    assert.throws(
      () => renderTemplate(t, { b: 1 }),
      (err: unknown) => {
        assert.ok(err instanceof TemplateApplyError);
        assert.equal(err.code, 'MISSING_VARIABLE');
        assert.deepEqual(err.variables, ['a', 'c']);
        assert.equal(
          err.message,
          'The prompt template "greet" version 2 needs variables "a", "c" but no value was given; pass them or remove them from the template.',
        );
        return true;
      },
    );
  });

  it('detects the syntax: mustache when {{var}} is present, else fstring for {var}, else mustache', () => {
    assert.equal(detectSyntax('Hi {{ name }} {x}'), 'mustache');
    assert.equal(detectSyntax('Hi {name}, JSON {{"a": 1}}'), 'fstring');
    assert.equal(detectSyntax('Literal {{x}} escape in f-string is read as mustache'), 'mustache');
    assert.equal(detectSyntax('No placeholders {"a": 1}'), 'mustache');
  });

  it('rejects sections, partials, delimiter changes and f-string format specs', () => {
    for (const [t, syntax] of [
      ['{{#items}}x{{/items}}', 'mustache'],
      ['{{> footer}}', 'mustache'],
      ['{{^empty}}none{{/empty}}', 'mustache'],
      ['{{=<% %>=}}', 'mustache'],
      ['Total {price:.2f}', 'fstring'],
      ['{name!r}', 'fstring'],
    ] as const) {
      assert.throws(
        () => tokenize(t, syntax),
        (err: unknown) => err instanceof TemplateParseError && err.code === 'UNSUPPORTED_SYNTAX',
        t,
      );
    }
  });

  it('in strict (Jinja) mode, rejects expressions and blocks that mustache mode keeps literal', () => {
    assert.deepEqual(tokenize('{{ x | upper }}', 'mustache'), [{ kind: 'text', text: '{{ x | upper }}' }]);
    assert.throws(() => tokenize('{{ x | upper }}', 'mustache', { strictBraces: true }), TemplateParseError);
    assert.throws(() => tokenize('{% if x %}y{% endif %}', 'mustache', { strictBraces: true }), TemplateParseError);
  });
});
