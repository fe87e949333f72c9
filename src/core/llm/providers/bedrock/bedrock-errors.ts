// @aws-sdk/client-bedrock-runtime errors -> our typed errors: the service's exceptions (by the
// SDK's BedrockRuntimeServiceException class, status from $metadata), the credential chain finding
// nothing (by the SDK's error names CredentialsProviderError / TokenProviderError), aborts and
// connection failures.
import { bedrockSdk } from './bedrock-sdk';
import { MissingApiKeyError, ProviderRequestError, RequestAbortedError } from '../../llm-errors';
import { connectionError, isAbortLike, isRetryableStatus } from '../../map-sdk-error';

/** Where Bedrock credentials come from, named in the missing-credentials error. */
export const AWS_CREDENTIAL_CHAIN =
  'the AWS credential chain: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN), ' +
  'AWS_PROFILE (a profile in ~/.aws/config or ~/.aws/credentials, e.g. after `aws sso login`), a web identity token, ' +
  'an ECS/EC2 instance role, or a Bedrock API key in AWS_BEARER_TOKEN_BEDROCK';

/** Exceptions Bedrock raises for load, worth retrying later (besides 429/5xx statuses). */
const RETRYABLE_NAMES = new Set([
  'ThrottlingException',
  'ModelNotReadyException',
  'ServiceUnavailableException',
  'InternalServerException',
  'ModelTimeoutException',
  'ModelStreamErrorException',
]);

/** The AWS SDK found no credentials. A MissingApiKeyError (the job fails at once, as for a missing
 *  key), with a message naming the AWS credential chain instead of a key. */
export class MissingAwsCredentialsError extends MissingApiKeyError {
  constructor(provider: string, sdkMessage: string, keySource?: string) {
    super(provider, keySource);
    this.name = 'MissingAwsCredentialsError';
    this.message =
      `No AWS credentials for ${provider} (the AWS SDK said: ${sdkMessage}). Provide them through ${AWS_CREDENTIAL_CHAIN}` +
      `${keySource !== undefined && keySource !== '' && keySource !== AWS_CREDENTIAL_CHAIN ? `, or set ${keySource}` : ''}.`;
  }
}

/** The AWS region could not be resolved (not configured, not in the environment or profile). */
export class MissingAwsRegionError extends ProviderRequestError {
  /** A missing setting: a usage error, as a missing key is. */
  override readonly kind = 'usage';
  constructor(provider: string, cause: unknown) {
    super({
      provider,
      providerMessage:
        'no AWS region: set AWS_REGION (or AWS_DEFAULT_REGION), a region in the AWS profile, or the bedrock region setting.',
      retryable: false,
      retries: 0,
      cause,
    });
    this.name = 'MissingAwsRegionError';
  }
}

function isCredentialError(err: unknown): err is Error {
  return err instanceof Error && (err.name === 'CredentialsProviderError' || err.name === 'TokenProviderError');
}

/** A network failure under fetch (refused, reset, DNS) or the SDK's request timeout. */
function isConnectionError(err: unknown): err is Error {
  if (!(err instanceof Error)) return false;
  if (err.name === 'TimeoutError') return true;
  const code = (err.cause as { code?: unknown } | undefined)?.code;
  return err instanceof TypeError && typeof code === 'string';
}

/** Maps what a Bedrock SDK call threw; errors that are not the SDK's come back unchanged. */
export function mapBedrockError(
  err: unknown,
  provider: string,
  retries: number,
  signal: AbortSignal | undefined,
  endpoint: string | undefined,
  keySource?: string,
): unknown {
  const { BedrockRuntimeServiceException } = bedrockSdk();
  if (signal?.aborted === true && (isAbortLike(err) || err instanceof BedrockRuntimeServiceException))
    return new RequestAbortedError(provider, err);
  if (isCredentialError(err)) return new MissingAwsCredentialsError(provider, err.message, keySource);
  if (err instanceof BedrockRuntimeServiceException) {
    // An exception inside a stream (after the 200) has no HTTP status: its kind decides.
    const status = err.$metadata?.httpStatusCode;
    const attempts = err.$metadata?.attempts;
    const byKind = RETRYABLE_NAMES.has(err.name) || err.$retryable !== undefined;
    return new ProviderRequestError({
      provider,
      status,
      providerMessage: err.message !== '' ? err.message : err.name,
      retryable: status !== undefined ? isRetryableStatus(status) || byKind : byKind,
      requestId: err.$metadata?.requestId,
      errorType: err.name,
      retries: Math.max(retries, attempts !== undefined ? attempts - 1 : 0),
      cause: err,
    });
  }
  if (isConnectionError(err)) return connectionError(provider, err, retries, endpoint);
  if (signal?.aborted === true) return new RequestAbortedError(provider, err);
  return err;
}
