// Observation builders for the fake Langfuse server: an agent trace with a generation that calls a
// tool, the tool observation, and a second generation that reads the tool result.
import type { FakeObservation } from './fake-langfuse-data';

const PROJECT = 'project-1';

export function observation(
  partial: Partial<FakeObservation> & { id: string; traceId: string; type: string; startTime: string },
): FakeObservation {
  return {
    projectId: PROJECT,
    parentObservationId: null,
    endTime: partial.startTime,
    name: partial.type.toLowerCase(),
    level: 'DEFAULT',
    environment: 'default',
    ...partial,
  };
}

function at(baseMs: number, offsetMs: number): string {
  return new Date(baseMs + offsetMs).toISOString();
}

/** One agent trace; `baseMs` is its start. Ids derive from `traceId`. */
export function agentTrace(traceId: string, baseMs: number, traceName = 'weather-agent'): FakeObservation[] {
  const ctx = { traceId, traceName, tags: ['prod'], userId: 'user-1', sessionId: 'session-1' };
  const root = `${traceId}-root`;
  return [
    observation({
      ...ctx,
      id: root,
      type: 'AGENT',
      name: 'agent',
      startTime: at(baseMs, 0),
      endTime: at(baseMs, 3000),
      input: '{"question":"Weather in Paris?"}',
      output: 'It is sunny in Paris.',
    }),
    observation({
      ...ctx,
      id: `${traceId}-gen1`,
      parentObservationId: root,
      type: 'GENERATION',
      name: 'plan',
      startTime: at(baseMs, 100),
      endTime: at(baseMs, 900),
      completionStartTime: at(baseMs, 350),
      input: JSON.stringify({
        messages: [
          { role: 'system', content: 'You are a weather bot.' },
          { role: 'user', content: 'Weather in Paris?' },
        ],
        tools: [
          {
            type: 'function',
            function: {
              name: 'get_weather',
              description: 'Weather for a city',
              parameters: { type: 'object', properties: { city: { type: 'string' } } },
            },
          },
        ],
      }),
      output: JSON.stringify({
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
        ],
      }),
      model: 'gpt-4o-mini',
      internalModelId: 'm1',
      modelParameters: { temperature: '0.2', max_tokens: 256, top_p: 0.9, tool_choice: 'auto' },
      usageDetails: { input: 80, input_cached_tokens: 20, output: 12, total: 112 },
      costDetails: { input: 0.00012, output: 0.00003, total: 0.00015 },
      totalCost: 0.00015,
      promptId: 'prompt-1',
      promptName: 'weather-system',
      promptVersion: 3,
      metadata: { team: 'search' },
    }),
    observation({
      ...ctx,
      id: `${traceId}-tool`,
      parentObservationId: root,
      type: 'TOOL',
      name: 'get_weather',
      startTime: at(baseMs, 1000),
      endTime: at(baseMs, 1500),
      input: '{"city":"Paris"}',
      output: 'sunny, 24 C',
    }),
    observation({
      ...ctx,
      id: `${traceId}-gen2`,
      parentObservationId: root,
      type: 'GENERATION',
      name: 'answer',
      startTime: at(baseMs, 1600),
      endTime: at(baseMs, 2900),
      input: JSON.stringify({
        system: 'You are a weather bot.',
        messages: [
          { role: 'user', content: 'Weather in Paris?' },
          {
            role: 'assistant',
            content: [{ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } }],
          },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'sunny, 24 C' }] },
        ],
      }),
      output: JSON.stringify([{ type: 'text', text: 'It is sunny in Paris.' }]),
      model: 'claude-haiku-4-5',
      modelParameters: { max_tokens: 512 },
      usageDetails: { input: 50, cache_read_input_tokens: 100, cache_creation_input_tokens: 10, output: 9, total: 169 },
      costDetails: { total: 0.0002 },
    }),
  ];
}
