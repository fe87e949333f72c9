// Test support: the structural rules Bedrock's Converse API enforces on a request (the fake server
// does not validate), checked on a built body so cross-provider translations are known to be
// accepted: roles alternate starting with user, no empty or blank content, toolUse ids valid and
// each answered by a toolResult in the next user turn (and only there), toolConfig present whenever
// tool blocks are, tool names defined.
import assert from 'node:assert/strict';

export type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- request bodies are indexed freely

const TOOL_USE_ID = /^[a-zA-Z0-9_-]{1,64}$/;

export function assertValidConverse(body: Body): void {
  assert.equal(typeof body.modelId, 'string', 'modelId');
  const messages = body.messages as Body[];
  assert.ok(Array.isArray(messages) && messages.length > 0, 'messages');
  const toolNames = new Set(((body.toolConfig?.tools ?? []) as Body[]).map((t) => t.toolSpec?.name));
  let toolBlocks = 0;
  messages.forEach((m, i) => {
    assert.ok(m.role === 'user' || m.role === 'assistant', `message ${i} role`);
    if (i > 0) assert.notEqual(m.role, messages[i - 1].role, `message ${i}: roles alternate`);
    assert.ok(Array.isArray(m.content) && m.content.length > 0, `message ${i}: content`);
    for (const block of m.content as Body[]) {
      if (block.text !== undefined) assert.ok(String(block.text).trim() !== '', `message ${i}: blank text`);
      if (block.toolUse !== undefined) {
        toolBlocks++;
        assert.equal(m.role, 'assistant', `message ${i}: toolUse outside an assistant turn`);
        assert.match(block.toolUse.toolUseId, TOOL_USE_ID, `message ${i}: toolUseId`);
        assert.ok(toolNames.has(block.toolUse.name), `message ${i}: tool ${block.toolUse.name} is defined`);
        assert.equal(typeof block.toolUse.input, 'object', `message ${i}: toolUse input is an object`);
      }
      if (block.toolResult !== undefined) {
        toolBlocks++;
        assert.equal(m.role, 'user', `message ${i}: toolResult outside a user turn`);
      }
    }
  });
  assert.equal(messages[0].role, 'user', 'the conversation starts with a user message');
  if (toolBlocks > 0) assert.ok(body.toolConfig !== undefined, 'toolConfig present with tool blocks');
  // Every toolUse is answered in the very next (user) message, and every toolResult answers one there.
  messages.forEach((m, i) => {
    const uses = (m.content as Body[]).filter((b) => b.toolUse).map((b) => b.toolUse.toolUseId as string);
    const next = messages[i + 1];
    const answered = ((next?.content ?? []) as Body[]).filter((b) => b.toolResult).map((b) => b.toolResult.toolUseId as string);
    if (m.role === 'assistant' && uses.length > 0) {
      assert.deepEqual([...answered].sort(), [...uses].sort(), `message ${i + 1}: answers exactly the tool calls of message ${i}`);
      const firstOther = (next.content as Body[]).findIndex((b) => !b.toolResult);
      if (firstOther >= 0) assert.ok((next.content as Body[]).slice(firstOther).every((b) => !b.toolResult), `message ${i + 1}: tool results first`);
    }
    if (m.role === 'user' && i > 0) {
      const results = (m.content as Body[]).filter((b) => b.toolResult).map((b) => b.toolResult.toolUseId as string);
      const prevUses = new Set((messages[i - 1].content as Body[]).filter((b) => b.toolUse).map((b) => b.toolUse.toolUseId as string));
      for (const id of results) assert.ok(prevUses.has(id), `message ${i}: toolResult ${id} answers a toolUse of message ${i - 1}`);
    }
  });
}
