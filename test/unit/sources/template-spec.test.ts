// The text form of a template override (`--template`, the extension's pickers): a platform's prompt
// version (`langfuse[<connection>]:<name>@<version>`, `#<label>`, a bare name) or else a file path,
// resolved against the working folder; and formatTemplateRef, its inverse.
import { strict as assert } from 'node:assert';
import path from 'node:path';
import { formatTemplateRef, TemplateSpecError, type TemplateRef } from '../../../src/core/prompts/template-ref';
import { parsePromptSpec, parseTemplateSpec, promptSpecExample } from '../../../src/core/sources/template-spec';
import { langfusePlatform } from '../../../src/core/sources/langfuse/langfuse-platform';

const CWD = path.resolve('/work/project');

describe('template specs', () => {
  it('takes anything that names no platform as a file, resolved against the working folder', () => {
    assert.deepEqual(parseTemplateSpec('prompts/support.prompt.md', CWD), {
      kind: 'file',
      path: path.join(CWD, 'prompts', 'support.prompt.md'),
    });
    assert.deepEqual(parseTemplateSpec('/abs/support.txt', CWD), {
      kind: 'file',
      path: path.resolve('/abs/support.txt'),
    });
    assert.deepEqual(
      parseTemplateSpec('  support.txt  ', CWD),
      { kind: 'file', path: path.join(CWD, 'support.txt') },
      'trimmed',
    );
    // A Windows drive letter (either case), a URL-like or unknown prefix: not a platform, so a file.
    for (const spec of [
      'C:\\prompts\\x.txt',
      'c:\\x.txt',
      'notaplatform:support@3',
      'http://example.com/x.txt',
      'langfuse-old:support@3',
    ]) {
      assert.deepEqual(parseTemplateSpec(spec, CWD), { kind: 'file', path: path.resolve(CWD, spec) }, spec);
      assert.equal(parsePromptSpec(spec), undefined, spec);
    }
  });

  it('reads langfuse:<name>@<version>, #<label>, a bare name, and a [connection]', () => {
    const cases: [string, TemplateRef][] = [
      ['langfuse:support@3', { kind: 'prompt', platform: 'langfuse', name: 'support', version: '3' }],
      [
        'langfuse:team/support#staging',
        { kind: 'prompt', platform: 'langfuse', name: 'team/support', label: 'staging' },
      ],
      ['langfuse:support', { kind: 'prompt', platform: 'langfuse', name: 'support' }],
      [
        'langfuse[eu]:support@12',
        { kind: 'prompt', platform: 'langfuse', connection: 'eu', name: 'support', version: '12' },
      ],
      [
        'langfuse[self-hosted]:support#latest',
        { kind: 'prompt', platform: 'langfuse', connection: 'self-hosted', name: 'support', label: 'latest' },
      ],
      // Names may contain @ and #: only the last one counts.
      ['langfuse:ops@example.com@2', { kind: 'prompt', platform: 'langfuse', name: 'ops@example.com', version: '2' }],
      ['langfuse:a@b#staging', { kind: 'prompt', platform: 'langfuse', name: 'a@b', label: 'staging' }],
      ['langfuse:a#b@4', { kind: 'prompt', platform: 'langfuse', name: 'a#b', version: '4' }],
    ];
    for (const [spec, expected] of cases) {
      assert.deepEqual(parseTemplateSpec(spec, CWD), expected, spec);
      assert.deepEqual(parseTemplateSpec(`  ${spec} `, CWD), expected, `${spec} (trimmed)`);
      assert.equal(formatTemplateRef(expected), spec, `${spec} formats back`);
    }
    assert.equal(formatTemplateRef({ kind: 'file', path: '/abs/support.txt' }), '/abs/support.txt');
  });

  it('refuses a malformed prompt spec of a known platform, showing the form to write', () => {
    for (const bad of [
      'langfuse:',
      'langfuse:#staging',
      'langfuse:@3',
      'langfuse:support#',
      'langfuse:support@x',
      'langfuse:support@',
      'langfuse:support#a b',
      'langfuse[eu]:',
    ]) {
      assert.throws(
        () => parseTemplateSpec(bad, CWD),
        (err: unknown) => {
          assert.ok(err instanceof TemplateSpecError, `${bad}: ${String(err)}`);
          assert.equal(err.code, 'INVALID_TEMPLATE_SPEC');
          assert.ok(
            err.message.startsWith(`"${bad}" is not a prompt version; write langfuse:<name>@<version>`),
            err.message,
          );
          return true;
        },
        bad,
      );
    }
    for (const empty of ['', '   '])
      assert.throws(() => parseTemplateSpec(empty, CWD), /The template is empty; give a file or a prompt version/);
  });

  it("writes the example with the platform's word for a label", () => {
    assert.equal(
      promptSpecExample(langfusePlatform),
      'langfuse:<name>@<version> (e.g. langfuse:support-agent@3) or langfuse:<name>#<label>',
    );
    assert.equal(
      promptSpecExample({ id: 'phoenix', promptLabelWord: 'tag' }),
      'phoenix:<name>@<version> (e.g. phoenix:support-agent@3) or phoenix:<name>#<tag>',
    );
  });
});
