// Error bodies in each provider's real shape, so the SDKs raise their typed errors
// (openai.RateLimitError, Anthropic.AuthenticationError, ...).

export type ErrorFlavour = 'openai' | 'anthropic';

const OPENAI: Record<number, { type: string; code: string | null; message: string }> = {
  400: { type: 'invalid_request_error', code: null, message: 'Invalid request.' },
  401: {
    type: 'invalid_request_error',
    code: 'invalid_api_key',
    message: 'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.',
  },
  404: { type: 'invalid_request_error', code: 'unknown_url', message: 'Unknown request URL.' },
  429: {
    type: 'requests',
    code: 'rate_limit_exceeded',
    message: 'Rate limit reached for requests. Please try again later.',
  },
  500: {
    type: 'server_error',
    code: null,
    message: 'The server had an error while processing your request. Sorry about that!',
  },
  503: { type: 'server_error', code: null, message: 'The engine is currently overloaded, please try again later.' },
};

const ANTHROPIC: Record<number, { type: string; message: string }> = {
  400: { type: 'invalid_request_error', message: 'Invalid request.' },
  401: { type: 'authentication_error', message: 'invalid x-api-key' },
  404: { type: 'not_found_error', message: 'Not found' },
  429: { type: 'rate_limit_error', message: 'Number of request tokens has exceeded your per-minute rate limit.' },
  500: { type: 'api_error', message: 'Internal server error' },
  503: { type: 'api_error', message: 'Service unavailable' },
  529: { type: 'overloaded_error', message: 'Overloaded' },
};

export function errorBody(flavour: ErrorFlavour, status: number, requestId: string): Record<string, unknown> {
  if (flavour === 'anthropic') {
    const e = ANTHROPIC[status] ?? {
      type: status >= 500 ? 'api_error' : 'invalid_request_error',
      message: `Error ${status}`,
    };
    return { type: 'error', error: { type: e.type, message: e.message }, request_id: requestId };
  }
  const e = OPENAI[status] ?? {
    type: status >= 500 ? 'server_error' : 'invalid_request_error',
    code: null,
    message: `Error ${status}`,
  };
  return { error: { message: e.message, type: e.type, param: null, code: e.code } };
}
