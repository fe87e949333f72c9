// The fake's guard: answers that differ from Langfuse's OpenAPI document are caught.
import { strict as assert } from 'node:assert';
import { langfuseOpenApiValidator, toJsonSchema } from '../../support/fake-langfuse/openapi-validator';

describe('fake Langfuse: OpenAPI validation', () => {
  const v = langfuseOpenApiValidator();
  const obs = {
    id: 'o',
    traceId: 't',
    startTime: '2026-01-01T00:00:00.000Z',
    endTime: null,
    projectId: 'p',
    parentObservationId: null,
    type: 'SPAN',
    modelId: null,
    inputPrice: null,
    outputPrice: null,
    totalPrice: null,
  };

  it('accepts a documented v2 observations answer, with the server-only `model` field', () => {
    assert.deepEqual(
      v.validateResponse('GET', '/api/public/v2/observations', 200, {
        data: [{ ...obs, model: 'gpt-4o', level: null }],
        meta: {},
      }),
      [],
    );
  });

  it('rejects drift: missing required fields, wrong types, bad times, bad enums', () => {
    const { projectId: _p, ...noProject } = obs;
    assert.ok(
      v
        .validateResponse('GET', '/api/public/v2/observations', 200, { data: [noProject], meta: {} })
        .some((e) => e.includes('projectId')),
    );
    assert.ok(
      v.validateResponse('GET', '/api/public/v2/observations', 200, {
        data: [{ ...obs, usageDetails: { input: 'ten' } }],
        meta: {},
      }).length > 0,
    );
    assert.ok(
      v.validateResponse('GET', '/api/public/v2/observations', 200, {
        data: [{ ...obs, startTime: 'yesterday' }],
        meta: {},
      }).length > 0,
    );
    assert.ok(
      v.validateResponse('GET', '/api/public/v2/observations', 200, { data: [{ ...obs, level: 'LOUD' }], meta: {} })
        .length > 0,
    );
    assert.ok(
      v.validateResponse('GET', '/api/public/v2/prompts/{promptName}', 200, {
        type: 'text',
        name: 'p',
        version: 1,
        config: {},
        labels: [],
        tags: [],
        prompt: [],
      }).length > 0,
    );
    assert.throws(() => v.validateResponse('GET', '/api/public/v9/nothing', 200, {}), /no GET/);
  });

  it('turns nullable into a null alternative, also next to a $ref', () => {
    assert.deepEqual(toJsonSchema({ type: 'string', nullable: true }), {
      anyOf: [{ type: 'string' }, { type: 'null' }],
    });
    assert.deepEqual(toJsonSchema({ $ref: '#/components/schemas/X', nullable: true }), {
      anyOf: [{ $ref: 'https://langfuse.test/openapi.json#/components/schemas/X' }, { type: 'null' }],
    });
  });
});
