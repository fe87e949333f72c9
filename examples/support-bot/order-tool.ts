// The agent's one tool: a local function the model may ask for by name. In a real app this would call
// the order service; here a fixed table keeps the example self-contained and its traces repeatable.
import { traceTool } from '@arizeai/openinference-core';
import type OpenAI from 'openai';

export const LOOKUP_ORDER_TOOL: OpenAI.Chat.Completions.ChatCompletionFunctionTool = {
  type: 'function',
  function: {
    name: 'lookup_order',
    description: 'Look up the shipping status of a customer order by its id (like A-1042).',
    parameters: {
      type: 'object',
      properties: { order_id: { type: 'string', description: 'Order id, e.g. A-1042' } },
      required: ['order_id'],
      additionalProperties: false,
    },
  },
};

export interface OrderStatus {
  order_id: string;
  status: 'processing' | 'shipped' | 'delivered' | 'unknown';
  carrier?: string;
  eta?: string;
}

const ORDERS: Record<string, Omit<OrderStatus, 'order_id'>> = {
  'A-1042': { status: 'shipped', carrier: 'DHL', eta: '2025-06-12' },
  'A-1043': { status: 'processing' },
};

/** Wrapped by traceTool, so each run is a TOOL span (input: the arguments, output: the result).
 *  A replay never calls it again: it reuses the output recorded in that span. */
export const lookupOrder = traceTool(
  async (args: { order_id: string }): Promise<OrderStatus> => ({
    order_id: args.order_id,
    ...(ORDERS[args.order_id] ?? { status: 'unknown' }),
  }),
  { name: 'lookup_order' },
);
