import { strict as assert } from 'node:assert';
import { extractVariables } from '../../../src/core/prompts/apply-template';
import { tokenize } from '../../../src/core/prompts/placeholders';
import { matchTemplateText } from '../../../src/core/prompts/template-match';

describe('prompts: variable recovery', () => {
  it('recovers a single variable, mustache and f-string', () => {
    assert.deepEqual(extractVariables('Weather in {{ city }}?', 'Weather in Paris?', 'mustache'), { city: 'Paris' });
    assert.deepEqual(extractVariables('Weather in {city}?', 'Weather in New York?', 'fstring'), { city: 'New York' });
  });

  it('recovers several variables, including at the start and the end', () => {
    assert.deepEqual(extractVariables('{greeting}, I am {name} from {place}', 'Hello, I am Ann from Rome', 'fstring'), {
      greeting: 'Hello',
      name: 'Ann',
      place: 'Rome',
    });
  });

  it('recovers multi-line values', () => {
    const template = 'Context:\n{{context}}\n\nQuestion: {{question}}\nAnswer:';
    const rendered = 'Context:\nline one\nline two\n\nmore\n\nQuestion: What is\nthis?\nAnswer:';
    assert.deepEqual(extractVariables(template, rendered, 'mustache'), {
      context: 'line one\nline two\n\nmore',
      question: 'What is\nthis?',
    });
  });

  it('requires a repeated variable to have one value', () => {
    assert.deepEqual(extractVariables('{{x}} and {{x}}: {{y}}', 'ab and ab: c', 'mustache'), { x: 'ab', y: 'c' });
    assert.equal(extractVariables('{{x}} and {{x}}', 'ab and cd', 'mustache'), undefined);
    // The repeat decides the split: the first "-" would give x="a" and fail at the second use.
    assert.deepEqual(extractVariables('{x}-{x}', 'a-b-a-b', 'fstring'), { x: 'a-b' });
  });

  it('treats regex special characters in literals as text', () => {
    const template = 'Cost (USD): $[{amount}]* ^{note}.+? \\d {{braces}}';
    assert.deepEqual(extractVariables(template, 'Cost (USD): $[12.50]* ^cheap.+? \\d {braces}', 'fstring'), {
      amount: '12.50',
      note: 'cheap',
    });
  });

  it('returns undefined when the text does not match, and an empty record when there is nothing to recover', () => {
    assert.equal(extractVariables('Weather in {city}?', 'Weather at Paris?', 'fstring'), undefined);
    assert.equal(extractVariables('Prefix {x}', 'Other', 'fstring'), undefined);
    assert.deepEqual(extractVariables('No variables here', 'No variables here', 'fstring'), {});
  });

  it('forgives CRLF line ends and surrounding whitespace', () => {
    assert.deepEqual(extractVariables('Q: {q}\r\nA:', '  Q: why\nA:\n', 'fstring'), { q: 'why' });
  });

  it('gives the first consistent (shortest-first) solution and flags ambiguity', () => {
    assert.deepEqual(extractVariables('{a}, {b}', 'x, y, z', 'fstring'), { a: 'x', b: 'y, z' });
    assert.equal(matchTemplateText(tokenize('{a}, {b}', 'fstring'), 'x, y, z')?.ambiguous, true);
    assert.equal(matchTemplateText(tokenize('{a}, {b}', 'fstring'), 'x, y')?.ambiguous, false);
    // Adjacent variables have no literal to split on.
    assert.equal(matchTemplateText(tokenize('{a}{b}', 'fstring'), 'xy')?.ambiguous, true);
  });

  it('stays fast on long texts that do not match', () => {
    const template = '{a} : {b} : {c} : {d} : {e} ; end';
    const text = 'x : '.repeat(3000) + 'no end';
    // A backtracking regex would explore ~3000^5 splits here; the literal pre-check and memo do not.
    assert.equal(extractVariables(template, text, 'fstring'), undefined);
    const almost = 'x : '.repeat(3000) + '; end!';
    assert.equal(extractVariables(template, almost, 'fstring'), undefined);
    // Repeated variables defeat the position bounds; the step budget ends the search instead.
    assert.equal(extractVariables('{x} : {y} : {x} ; end', 'x : '.repeat(3000) + 'q ; end', 'fstring'), undefined);
  });

  it('proves a match with a repeated variable unique without running out of steps', () => {
    const m = matchTemplateText(tokenize('{x}:{y}:{x}', 'fstring'), 'a:' + 'b:'.repeat(2000) + 'a');
    assert.deepEqual(m?.variables, { x: 'a', y: 'b:'.repeat(1999) + 'b' });
    assert.equal(m?.ambiguous, false);
  });
});
