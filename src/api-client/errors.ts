/**
 * The error every API call rejects with: HTTP status, the catalogue code of the service's
 * `{error:{code,message,requestId}}` body (or a client-side code: NETWORK_ERROR, SIGN_IN_FAILED,
 * INVALID_RESPONSE, HTTP_ERROR), a message a person can act on, and the request id to quote.
 * Kept apart from the client so views can recognise errors without loading the client.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly requestId: string | undefined;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(
    status: number,
    code: string,
    message: string,
    requestId: string | undefined,
    options?: { cause?: unknown; details?: Record<string, unknown> },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.requestId = requestId;
    this.details = options?.details;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}
