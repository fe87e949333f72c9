import { strict as assert } from 'node:assert';
import type { LlmCall, Message, PromptLink } from '../../../src/core/model/trace';
import { normalizeSpan } from '../../../src/core/normalize/normalize-span';
import { applyPromptTemplate, spanMatchesTemplate } from '../../../src/core/prompts/apply-template';
import { parsePromptTemplate, type PromptTemplate } from '../../../src/core/prompts/prompt-template';
import { TemplateApplyError } from '../../../src/core/prompts/template-errors';
import { rawSpan } from '../../support/raw-span-builder';

const msg = (role: Message['role'], text: string): Message => ({ role, parts: [{ type: 'text', text }] });

function llmCall(messages: Message[], prompt?: PromptLink): LlmCall {
  const call: LlmCall = {
    provider: 'openai',
    api: 'chat.completions',
    requestModel: 'gpt-4o-mini',
    messages,
    parameters: { temperature: 0 },
    output: { text: 'old answer', toolCalls: [] },
  };
  if (prompt) call.prompt = prompt;
  return call;
}

const textTemplate = (text: string, extra: Partial<PromptTemplate> = {}) => ({
  ...parsePromptTemplate(text),
  ...extra,
});

function applyError(code: TemplateApplyError['code'], message?: string, variables?: string[]) {
  return (err: unknown) => {
    assert.ok(err instanceof TemplateApplyError, String(err));
    assert.equal(err.code, code);
    if (message !== undefined) assert.equal(err.message, message);
    if (variables !== undefined) assert.deepEqual(err.variables, variables);
    return true;
  };
}

describe('prompts: applying a new template version to a call', () => {
  it('re-renders a text template with the recorded variables, replacing the message the old one produced', () => {
    const call = llmCall([msg('system', 'Be brief.'), msg('user', 'Weather in Paris?')], {
      version: 'v3',
      template: 'Weather in {city}?',
      variables: { city: 'Paris' },
      source: 'openinference',
    });
    const before = structuredClone(call);
    const app = applyPromptTemplate(call, textTemplate('What is the weather in {city} today?', { version: 'v4' }));
    assert.deepEqual(app.call.messages, [
      msg('system', 'Be brief.'),
      msg('user', 'What is the weather in Paris today?'),
    ]);
    assert.deepEqual(app.call.prompt, {
      version: 'v4',
      template: 'What is the weather in {city} today?',
      variables: { city: 'Paris' },
      source: 'openinference',
    });
    assert.deepEqual(
      [app.variables, app.variablesRecovered, app.replacedMessageIndexes, app.warnings],
      [{ city: 'Paris' }, false, [1], []],
    );
    assert.deepEqual(call, before, 'the input call is not mutated');
    assert.notStrictEqual(app.call.output, call.output, 'the returned call shares no objects with the input');
  });

  it('replaces the contiguous run of a chat template, which may change the number of messages', () => {
    const call = llmCall(
      [
        msg('system', 'You help sales.'),
        msg('user', 'Price?'),
        msg('assistant', 'It costs 3.'),
        msg('user', 'And tax?'),
      ],
      {
        name: 'helper',
        version: '1',
        source: 'traceloop',
        variables: { team: 'sales', question: 'Price?' },
        template: [
          { role: 'system', content: 'You help {{team}}.' },
          { role: 'user', content: '{{question}}' },
        ],
      },
    );
    const next = parsePromptTemplate(
      JSON.stringify({
        name: 'helper',
        version: 2,
        prompt: [
          { role: 'system', content: 'You help the {{team}} team.' },
          { role: 'user', content: 'Be exact.' },
          { role: 'user', content: '{{question}}' },
        ],
      }),
      { fileName: 'helper.json' },
    );
    const app = applyPromptTemplate(call, next);
    assert.deepEqual(app.call.messages, [
      msg('system', 'You help the sales team.'),
      msg('user', 'Be exact.'),
      msg('user', 'Price?'),
      msg('assistant', 'It costs 3.'),
      msg('user', 'And tax?'),
    ]);
    assert.deepEqual(app.replacedMessageIndexes, [0, 1, 2]);
    assert.deepEqual(app.call.prompt, {
      name: 'helper',
      version: '2',
      source: 'traceloop',
      variables: { team: 'sales', question: 'Price?' },
      template: [
        { role: 'system', content: 'You help the {{team}} team.' },
        { role: 'user', content: 'Be exact.' },
        { role: 'user', content: '{{question}}' },
      ],
    });
  });

  it('recovers variables from the messages with the previous version when none were recorded (Langfuse link)', () => {
    const call = llmCall([msg('system', 'You are terse.'), msg('user', 'Q: why is\nthe sky blue?\nA:')], {
      name: 'qa',
      version: '1',
      source: 'langfuse',
    });
    const previous = textTemplate('Q: {{q}}\nA:', { name: 'qa', version: '1' });
    const app = applyPromptTemplate(
      call,
      textTemplate('Question: {{q}}\nAnswer in one line:', { name: 'qa', version: '2' }),
      previous,
    );
    assert.equal(app.variablesRecovered, true);
    assert.deepEqual(app.variables, { q: 'why is\nthe sky blue?' });
    assert.deepEqual(app.call.messages[1], msg('user', 'Question: why is\nthe sky blue?\nAnswer in one line:'));
    assert.deepEqual(app.call.prompt, {
      name: 'qa',
      version: '2',
      template: 'Question: {{q}}\nAnswer in one line:',
      variables: { q: 'why is\nthe sky blue?' },
      source: 'langfuse',
    });
  });

  it('recovers across the messages of a chat template, a repeated variable keeping one value', () => {
    const call = llmCall([msg('system', 'Reply in French to Ann.'), msg('user', 'Ann asks: hello')], { name: 'greet' });
    const previous: PromptTemplate = {
      kind: 'chat',
      syntax: 'fstring',
      messages: [
        { role: 'system', content: 'Reply in {lang} to {who}.' },
        { role: 'user', content: '{who} asks: {text}' },
      ],
    };
    const app = applyPromptTemplate(call, textTemplate('{who} wants "{text}" in {lang}.'), previous);
    assert.deepEqual(app.variables, { lang: 'French', who: 'Ann', text: 'hello' });
    assert.deepEqual(app.call.messages, [msg('system', 'Ann wants "hello" in French.')]);
    assert.deepEqual(app.warnings, [
      'The previous chat template produced 2 messages; the text template replaces them with one system message.',
    ]);
  });

  it('prefers the template the span recorded over `previous`, and falls back to `previous`', () => {
    const call = llmCall([msg('user', 'Summarize: abc')], { template: 'Summarize: {doc}' });
    const wrongPrevious = textTemplate('Digest: {doc}');
    assert.deepEqual(applyPromptTemplate(call, textTemplate('TL;DR {doc}'), wrongPrevious).variables, { doc: 'abc' });
    const stale = llmCall([msg('user', 'Summarize: abc')], { template: 'Condense: {doc}' });
    assert.deepEqual(
      applyPromptTemplate(stale, textTemplate('TL;DR {doc}'), textTemplate('Summarize: {doc}')).call.messages,
      [msg('user', 'TL;DR abc')],
    );
  });

  it('infers the message from the recorded values when no old template is known, and says so', () => {
    const call = llmCall([msg('system', 'You translate.'), msg('user', 'Translate "hello" to French')], {
      name: 'tr',
      variables: { text: 'hello', lang: 'French' },
    });
    const app = applyPromptTemplate(call, textTemplate('Into {{lang}}: {{text}}'));
    assert.deepEqual(app.call.messages, [msg('system', 'You translate.'), msg('user', 'Into French: hello')]);
    assert.deepEqual(app.warnings, [
      'Which message came from the template was inferred (no previous template recorded): replaced message 1, which contains every recorded variable value.',
    ]);
  });

  it('uses the recorded variables when the messages only match the old template structurally, with a warning', () => {
    const call = llmCall([msg('user', 'Weather in paris?')], {
      template: 'Weather in {city}?',
      variables: { city: 'Paris' },
    });
    const app = applyPromptTemplate(call, textTemplate('Forecast for {city}'));
    assert.deepEqual(app.call.messages, [msg('user', 'Forecast for Paris')]);
    assert.equal(app.warnings.length, 1);
    assert.match(
      app.warnings[0],
      /^The messages differ from the previous template rendered with the recorded variables/,
    );
  });

  it('keeps non-text parts of a replaced message and warns about variables the new version drops', () => {
    const call = llmCall(
      [
        {
          role: 'user',
          parts: [
            { type: 'text', text: 'Describe this cat' },
            { type: 'image', url: 'https://x/cat.png' },
          ],
        },
      ],
      { name: 'describe', template: 'Describe this {{animal}}', variables: { animal: 'cat', unused: 1 } },
    );
    const app = applyPromptTemplate(
      call,
      textTemplate('What breed is this {{animal}}?', { name: 'describe', version: '9' }),
    );
    assert.deepEqual(app.call.messages, [
      {
        role: 'user',
        parts: [
          { type: 'text', text: 'What breed is this cat?' },
          { type: 'image', url: 'https://x/cat.png' },
        ],
      },
    ]);
    assert.deepEqual(app.warnings, [
      'The new version ("describe" version 9) does not use the recorded variable "unused".',
    ]);
  });

  describe('failures', () => {
    it('no variables and no previous template', () => {
      const call = llmCall([msg('user', 'Q: why')], { name: 'qa', version: '1', source: 'langfuse' });
      assert.throws(
        () => applyPromptTemplate(call, textTemplate('Question: {{q}}'), undefined, { spanId: 'abc123' }),
        applyError(
          'VARIABLES_NOT_RECOVERED',
          'Span abc123 used prompt "qa" version 1 but recorded no variables and no previous template is known to recover them from its messages; record variables (e.g. Langfuse prompt linking / llm.prompt_template.variables), give the previous version, or pick the spans by hand.',
        ),
      );
    });

    it('no variables and the previous template matches no message', () => {
      const call = llmCall([msg('user', 'Something else')], { name: 'qa', version: '1' });
      assert.throws(
        () =>
          applyPromptTemplate(call, textTemplate('Question: {{q}}'), textTemplate('Q: {{q}}'), { spanId: 'abc123' }),
        applyError(
          'VARIABLES_NOT_RECOVERED',
          'Span abc123 used prompt "qa" version 1 but recorded no variables and its messages do not match the previous template; record variables (e.g. Langfuse prompt linking / llm.prompt_template.variables) or pick the spans by hand.',
        ),
      );
    });

    it('ambiguous recovery', () => {
      const call = llmCall([msg('user', 'Compare x, y, z')], { name: 'cmp' });
      assert.throws(
        () => applyPromptTemplate(call, textTemplate('{a} vs {b}'), textTemplate('Compare {a}, {b}')),
        applyError(
          'AMBIGUOUS_VARIABLES',
          'The span used prompt "cmp" but recorded no variables, and its messages match the previous template in more than one way ("a", "b"); record variables or pick the spans by hand.',
          ['a', 'b'],
        ),
      );
    });

    it('the new version needs variables the span does not have', () => {
      const call = llmCall([msg('user', 'Weather in Paris?')], {
        name: 'w',
        template: 'Weather in {city}?',
        variables: { city: 'Paris' },
      });
      const next = textTemplate('Weather in {city} on {date} in {units}?', { name: 'w', version: '2' });
      assert.throws(
        () => applyPromptTemplate(call, next, undefined, { spanId: 's1' }),
        applyError(
          'MISSING_VARIABLES',
          'Span s1 used prompt "w", but the new version ("w" version 2) needs variables "date", "units" that the span did not record; remove them from the new version or pick spans that have them.',
          ['date', 'units'],
        ),
      );
    });

    it('recorded variables that no message contains', () => {
      const call = llmCall([msg('system', 'Hi'), msg('user', 'Translate "bye"')], {
        name: 'tr',
        variables: { text: 'hello' },
      });
      assert.throws(
        () => applyPromptTemplate(call, textTemplate('Translate {{text}}')),
        applyError(
          'MESSAGES_NOT_FOUND',
          'The span used prompt "tr" with recorded variables, but none of its messages came from that template or contains all the variable values; pick the spans by hand.',
        ),
      );
    });
  });

  describe('spanMatchesTemplate', () => {
    const call = llmCall([msg('user', 'Q: why')], { name: 'qa', version: '1', source: 'langfuse' });
    it('links by prompt name, of the template or of the previous version', () => {
      assert.equal(spanMatchesTemplate(call, textTemplate('Question: {{q}}', { name: 'qa' })), true);
      assert.equal(spanMatchesTemplate(call, textTemplate('Question: {{q}}', { name: 'other' })), false);
      assert.equal(spanMatchesTemplate(call, textTemplate('Question: {{q}}'), textTemplate('x', { name: 'qa' })), true);
    });
    it('matches an unlinked span whose messages the template or previous version produced', () => {
      const bare = llmCall([msg('system', 'S'), msg('user', 'Q: why')]);
      assert.equal(spanMatchesTemplate(bare, textTemplate('Question: {{q}}'), textTemplate('Q: {{q}}')), true);
      assert.equal(spanMatchesTemplate(bare, textTemplate('Q: {{q}}')), true);
      assert.equal(spanMatchesTemplate(bare, textTemplate('Question: {{q}}'), textTemplate('Query: {{q}}')), false);
      assert.equal(
        spanMatchesTemplate(bare, textTemplate('{{q}}')),
        false,
        'a template of placeholders only matches anything',
      );
    });
  });

  it('works on a call normalized from OpenInference llm.prompt_template.* attributes', () => {
    const span = normalizeSpan(
      rawSpan({
        name: 'ChatOpenAI',
        attributes: {
          'openinference.span.kind': 'LLM',
          'llm.provider': 'openai',
          'llm.model_name': 'gpt-4o-mini',
          'llm.input_messages.0.message.role': 'system',
          'llm.input_messages.0.message.content': 'Answer using the context.',
          'llm.input_messages.1.message.role': 'user',
          'llm.input_messages.1.message.content':
            'Context: {"temp": 21, "sky": "clear"}\nQuestion: Is it warm in Paris?',
          'llm.output_messages.0.message.role': 'assistant',
          'llm.output_messages.0.message.content': 'Yes.',
          'prompt.id': 'weather-qa',
          'llm.prompt_template.template': 'Context: {context}\nQuestion: {question}',
          'llm.prompt_template.variables': JSON.stringify({
            context: '{"temp": 21, "sky": "clear"}',
            question: 'Is it warm in Paris?',
          }),
          'llm.prompt_template.version': 'v1',
        },
      }),
    );
    const call = span.llm!;
    assert.deepEqual(call.prompt?.name, 'weather-qa');
    const next = parsePromptTemplate(
      '---\nname: weather-qa\nversion: v2\n---\nQuestion: {question}\nUse only this JSON: {context}\nAnswer "yes" or "no" as {{"answer": ...}}.\n',
      { fileName: 'weather-qa.prompt' },
    );
    assert.equal(spanMatchesTemplate(call, next), true);
    const app = applyPromptTemplate(call, next);
    assert.deepEqual(app.warnings, []);
    assert.deepEqual(app.replacedMessageIndexes, [1]);
    assert.deepEqual(
      app.call.messages[1],
      msg(
        'user',
        'Question: Is it warm in Paris?\nUse only this JSON: {"temp": 21, "sky": "clear"}\nAnswer "yes" or "no" as {"answer": ...}.',
      ),
    );
    assert.deepEqual(app.call.prompt, {
      name: 'weather-qa',
      version: 'v2',
      source: 'openinference',
      template: 'Question: {question}\nUse only this JSON: {context}\nAnswer "yes" or "no" as {{"answer": ...}}.',
      variables: { context: '{"temp": 21, "sky": "clear"}', question: 'Is it warm in Paris?' },
    });

    // The same span without recorded variables: recovered from the recorded template, JSON braces and all.
    const bare = structuredClone(call);
    delete bare.prompt!.variables;
    const recovered = applyPromptTemplate(bare, next);
    assert.equal(recovered.variablesRecovered, true);
    assert.deepEqual(recovered.call.messages, app.call.messages);
  });
});
