// Test support: a built Bedrock body checked against the structural rules Converse enforces (the
// fake endpoint's converseRequestProblem, which answers them with a 400 ValidationException), plus
// what the builder promises on top: tools used are defined, inputs are objects, results come first.
import assert from 'node:assert/strict';
import { converseRequestProblem } from '../../support/fake-llm/bedrock-wire';

export type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- request bodies are indexed freely

export function assertValidConverse(body: Body): void {
  assert.equal(typeof body.modelId, 'string', 'modelId');
  assert.equal(converseRequestProblem(body), undefined);
  const toolNames = new Set(((body.toolConfig?.tools ?? []) as Body[]).map((t) => t.toolSpec?.name));
  (body.messages as Body[]).forEach((m, i) => {
    const blocks = m.content as Body[];
    for (const block of blocks) {
      if (block.toolUse === undefined) continue;
      assert.ok(toolNames.has(block.toolUse.name), `message ${i}: tool ${block.toolUse.name} is defined`);
      assert.ok(
        typeof block.toolUse.input === 'object' && block.toolUse.input !== null && !Array.isArray(block.toolUse.input),
        `message ${i}: toolUse input is an object`,
      );
    }
    const firstOther = blocks.findIndex((b) => b.toolResult === undefined);
    if (firstOther >= 0)
      assert.ok(
        blocks.slice(firstOther).every((b) => b.toolResult === undefined),
        `message ${i}: tool results first`,
      );
  });
}
