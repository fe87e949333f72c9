// One error model: every exported class of src/ whose name ends in `Error` is a UserError with an
// UPPER_SNAKE code, a kind and (when it has one) a well-formed next action. The modules of src/core
// and src/cli are imported and their classes constructed; src/extension (which needs `vscode`) is
// checked by its declarations. Codes typed as unions are listed exhaustively (the compiler keeps the
// lists complete) and checked one by one.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ScoreErrorCode } from '../../../src/core/eval/evaluation-types';
import type { BodyReadErrorCode } from '../../../src/core/otlp/read-request-body';
import type { OtlpDecodeErrorCode, ReceiverStartErrorCode } from '../../../src/core/otlp/otlp-errors';
import type { TemplateApplyErrorCode, TemplateParseErrorCode } from '../../../src/core/prompts/template-errors';
import type { LangfuseErrorCode } from '../../../src/core/sources/langfuse/langfuse-errors';
import {
  PlatformCapabilityError,
  PlatformConfigError,
  type PlatformErrorCode,
} from '../../../src/core/sources/platform-errors';
import { PhoenixAuthError, PhoenixConfigError } from '../../../src/core/sources/phoenix/phoenix-errors';
import { LangfuseUrlError } from '../../../src/core/sources/langfuse/langfuse-errors';
import type { StoreErrorCode } from '../../../src/core/store/store-errors';
import { MissingApiKeyError, ProviderRequestError, UnknownModelError } from '../../../src/core/llm/llm-errors';
import {
  errorCodeOf,
  isUpperSnake,
  isUserError,
  normalizeErrorCode,
  UserError,
} from '../../../src/core/util/user-error';

const ROOT = path.resolve(__dirname, '../../..');
const KINDS = new Set(['usage', 'failure', 'cancelled']);
const NEXT_KINDS = new Set([
  'set-api-key',
  'choose-model',
  'connect-platform',
  'start-receiver',
  'import-traces',
  'open-settings',
]);
/** Internal control flow that never reaches a user (each says so where it is declared). */
const INTERNAL = new Set(['LineError', 'SearchBudgetExceeded']);
/** Stands for a code the caller passes (the code unions below check those). */
const CALLER_CODE = 'CALLER_CODE';

function tsFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts'))
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)));
}

type ErrorClass = abstract new (...args: unknown[]) => Error;

function isClass(value: unknown): value is ErrorClass {
  return typeof value === 'function' && /^class\b/.test(Function.prototype.toString.call(value));
}

/** An instance built with placeholder arguments: strings (most constructors take a message or an
 *  id first), or a ProviderRequestErrorInit. */
function sample(cls: ErrorClass): Error | undefined {
  const init = { provider: 'x', providerMessage: 'x', retryable: false, retries: 0 };
  const attempts: unknown[][] = [[CALLER_CODE, 'x', 'x', 'x', 'x'], [CALLER_CODE, [], 'x'], [CALLER_CODE], [init], []];
  let last: unknown;
  for (const args of attempts) {
    try {
      return Reflect.construct(cls, args) as Error;
    } catch (err) {
      last = err;
    }
  }
  assert.fail(`${cls.name} cannot be constructed with placeholder arguments: ${String(last)}`);
}

function checkNext(name: string, next: unknown): void {
  if (next === undefined) return;
  assert.ok(typeof next === 'object' && next !== null, `${name}.next is an object`);
  const kind = (next as { kind?: unknown }).kind;
  assert.ok(typeof kind === 'string' && NEXT_KINDS.has(kind), `${name}.next.kind ${String(kind)}`);
  if (kind === 'connect-platform')
    assert.equal(typeof (next as { platform?: unknown }).platform, 'string', `${name}: which platform`);
  if (kind === 'set-api-key')
    assert.equal(typeof (next as { provider?: unknown }).provider, 'string', `${name}: which provider`);
}

describe('one error model (UserError)', function () {
  this.timeout(120_000);

  it('every exported *Error class of src/core and src/cli is a UserError with an UPPER_SNAKE code and a kind', () => {
    const seen: string[] = [];
    const classes: ErrorClass[] = [];
    const bases: [string, ErrorClass][] = [];
    for (const file of [...tsFiles('src/core'), ...tsFiles('src/cli')]) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(path.join(ROOT, file)) as Record<string, unknown>;
      for (const [exported, value] of Object.entries(mod)) {
        if (!exported.endsWith('Error') || !isClass(value)) continue;
        if (value === UserError) continue;
        const where = `${exported} (${file})`;
        assert.ok(value.prototype instanceof UserError, `${where} extends UserError`);
        const err = sample(value)!;
        assert.ok(isUserError(err), where);
        const code = (err as UserError).code;
        if (code === undefined) {
          // An abstract family base (PlatformError, StoreError...): its subclasses carry the codes.
          bases.push([where, value]);
          continue;
        }
        assert.equal(typeof code, 'string', `${where} has a code`);
        assert.ok(isUpperSnake(code), `${where}: code "${code}" is UPPER_SNAKE`);
        assert.ok(KINDS.has((err as UserError).kind), `${where}: kind ${(err as UserError).kind}`);
        checkNext(where, (err as UserError).next);
        assert.ok(err.message.length > 0, `${where} has a message`);
        assert.equal(err.name, exported, `${where}: name (what a log line shows)`);
        seen.push(exported);
        classes.push(value);
      }
    }
    for (const [where, base] of bases)
      assert.ok(
        classes.some((c) => c.prototype instanceof base),
        `${where} has no code and no subclass: give it a code`,
      );
    // The walk found the families (a broken walk must not pass by finding nothing).
    for (const name of ['PlatformConfigError', 'PhoenixAuthError', 'StoreBusyError', 'CliError', 'OtlpDecodeError'])
      assert.ok(seen.includes(name), `${name} was checked`);
    assert.ok(seen.length >= 60, `${seen.length} classes checked`);
  });

  it('every *Error class declared in src/ extends UserError or one of its subclasses (src/extension by its source)', () => {
    // Class name -> base name, from the declarations of the whole of src/.
    const bases = new Map<string, string>();
    const declared = /\bclass (\w+Error|\w+Exceeded) extends (\w+)/g;
    for (const file of tsFiles('src')) {
      for (const m of readFileSync(path.join(ROOT, file), 'utf8').matchAll(declared)) bases.set(m[1], m[2]);
    }
    const extendsUserError = (name: string, depth = 0): boolean => {
      if (name === 'UserError') return true;
      const base = bases.get(name);
      return base !== undefined && depth < 10 && extendsUserError(base, depth + 1);
    };
    const plain = [...bases.keys()].filter((n) => n !== 'UserError' && !extendsUserError(n));
    assert.deepEqual(plain.sort(), [...INTERNAL].sort(), 'only the internal control-flow classes stay plain Errors');
    for (const name of ['TracesFilterQueryError', 'ParameterTextError'])
      assert.ok(extendsUserError(name), `${name} (src/extension)`);
  });

  it('codes given by the caller come from UPPER_SNAKE unions', () => {
    // Record<Union, true>: the compiler fails when a code is added to a union and not here.
    const unions: Record<string, Record<string, true>> = {
      platform: {
        PLATFORM_CONFIG: true,
        UNAUTHORIZED: true,
        FORBIDDEN: true,
        BAD_URL: true,
        RATE_LIMITED: true,
        TRACE_GONE: true,
        PROMPT_NOT_FOUND: true,
        PROJECT_NOT_FOUND: true,
        UNSUPPORTED: true,
        HTTP_ERROR: true,
      } satisfies Record<PlatformErrorCode, true>,
      langfuse: {
        UNAUTHORIZED: true,
        FORBIDDEN: true,
        BAD_URL: true,
        RATE_LIMITED: true,
        TRACE_GONE: true,
        PROMPT_NOT_FOUND: true,
        HTTP_ERROR: true,
      } satisfies Record<LangfuseErrorCode, true>,
      store: {
        STORE_CORRUPT_DOCUMENT: true,
        STORE_INVALID_ID: true,
        STORE_CLOSED: true,
        STORE_UNSUPPORTED_VERSION: true,
        STORE_OPEN_FAILED: true,
        STORE_BUSY: true,
        STORE_LOCK_FAILED: true,
      } satisfies Record<StoreErrorCode, true>,
      otlpDecode: { INVALID_JSON: true, INVALID_PROTOBUF: true, INVALID_STRUCTURE: true } satisfies Record<
        OtlpDecodeErrorCode,
        true
      >,
      receiverStart: { PORT_IN_USE: true, PERMISSION_DENIED: true, LISTEN_FAILED: true } satisfies Record<
        ReceiverStartErrorCode,
        true
      >,
      bodyRead: { BODY_TOO_LARGE: true, BODY_BAD_GZIP: true, BODY_ABORTED: true, RECEIVER_BUSY: true } satisfies Record<
        BodyReadErrorCode,
        true
      >,
      templateParse: {
        UNREADABLE_FILE: true,
        INVALID_JSON: true,
        INVALID_SHAPE: true,
        UNSUPPORTED_SYNTAX: true,
      } satisfies Record<TemplateParseErrorCode, true>,
      templateApply: {
        MISSING_VARIABLE: true,
        MISSING_VARIABLES: true,
        VARIABLES_NOT_RECOVERED: true,
        AMBIGUOUS_VARIABLES: true,
        MESSAGES_NOT_FOUND: true,
      } satisfies Record<TemplateApplyErrorCode, true>,
      score: {
        SPAN_FAILED: true,
        SPAN_CANCELLED: true,
        NO_REFERENCE: true,
        EVALUATOR_ERROR: true,
        NOT_RUN: true,
      } satisfies Record<ScoreErrorCode, true>,
    };
    for (const [union, codes] of Object.entries(unions))
      for (const code of Object.keys(codes)) assert.ok(isUpperSnake(code), `${union}: ${code}`);
  });

  it('usage errors, cancellations and next actions where the fix is an action', () => {
    assert.equal(new PlatformConfigError('x').kind, 'usage');
    assert.equal(new PlatformCapabilityError('x').kind, 'usage');
    assert.deepEqual(new PhoenixConfigError('no key', 'eu').next, {
      kind: 'connect-platform',
      platform: 'phoenix',
      connection: 'eu',
    });
    assert.deepEqual(new PhoenixAuthError('http://127.0.0.1:6006', 401, true).next, {
      kind: 'connect-platform',
      platform: 'phoenix',
    });
    assert.equal(new PhoenixAuthError('http://127.0.0.1:6006', 401, true).kind, 'failure');
    assert.deepEqual(new LangfuseUrlError('http://127.0.0.1:1', 'refused').next, {
      kind: 'connect-platform',
      platform: 'langfuse',
    });
    const missing = new MissingApiKeyError('anthropic', 'ANTHROPIC_API_KEY');
    assert.equal(missing.kind, 'usage');
    assert.deepEqual(missing.next, { kind: 'set-api-key', provider: 'anthropic' });
    assert.deepEqual(new UnknownModelError('gpt-x', ['openai']).next, { kind: 'choose-model' });
    const refused = new ProviderRequestError({
      provider: 'openai',
      providerMessage: 'no',
      retryable: false,
      retries: 0,
    });
    assert.equal(refused.kind, 'failure');
    assert.equal(refused.next, undefined);
    assert.equal(errorCodeOf(refused), 'PROVIDER_REQUEST_FAILED');
    assert.equal(errorCodeOf(new Error('plain')), undefined, 'a plain Error has no code');
    assert.equal(errorCodeOf(Object.assign(new Error('x'), { code: 'ENOENT' })), undefined, 'nor a Node error');
  });

  it('normalizeErrorCode reads the codes 0.1 stored', () => {
    assert.equal(normalizeErrorCode('trace-gone'), 'TRACE_GONE');
    assert.equal(normalizeErrorCode('evaluator-error'), 'EVALUATOR_ERROR');
    assert.equal(normalizeErrorCode('config'), 'PLATFORM_CONFIG');
    assert.equal(normalizeErrorCode('http'), 'HTTP_ERROR');
    assert.equal(normalizeErrorCode('MISSING_API_KEY'), 'MISSING_API_KEY');
    assert.ok(isUpperSnake('STORE_BUSY'));
    assert.ok(!isUpperSnake('trace-gone'));
    assert.ok(!isUpperSnake('Trace_Gone'));
  });
});
