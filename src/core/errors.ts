/**
 * The catalogue of stable error codes. Each code has an HTTP status and a message a person can act on.
 * Hosts map a DomainError to their transport in one place (the HTTP error handler, the bot's reply).
 */
export const errorCatalogue = {
  VALIDATION_FAILED: { status: 400, message: "The request is not valid." },
  UNAUTHENTICATED: { status: 401, message: "Sign-in is required." },
  TOKEN_INVALID: { status: 401, message: "The sign-in token is not valid." },
  TOKEN_EXPIRED: { status: 401, message: "The sign-in token has expired. Sign in again." },
  TOKEN_SIGNATURE_INVALID: { status: 401, message: "The sign-in token's signature could not be verified." },
  TOKEN_AUDIENCE_INVALID: { status: 401, message: "The sign-in token was issued for another application." },
  TOKEN_ISSUER_INVALID: { status: 401, message: "The sign-in token was not issued by the token's tenant." },
  TOKEN_SCOPE_MISSING: { status: 401, message: "The sign-in token lacks the access_as_user scope." },
  TOKEN_CLIENT_APP_INVALID: {
    status: 401,
    message:
      "The sign-in token was issued to an app other than Teams or Outlook. Open Quorum from Teams or Outlook.",
  },
  FORBIDDEN: { status: 403, message: "You do not have permission to do this." },
  ROLE_REQUIRED: { status: 403, message: "This needs a role you do not have." },
  SEAT_REQUIRED: { status: 403, message: "This needs a Quorum seat. Ask your admin or request to join." },
  CONSENT_REQUIRED: {
    status: 403,
    message: "Your organization has not granted admin consent to Quorum yet.",
  },
  RECONNECT_NEEDED: {
    status: 409,
    message: "Quorum lost access to your organization. An admin must reconnect it.",
  },
  CONSENT_STATE_INVALID: {
    status: 400,
    message: "The consent link is invalid, expired or was already used. Start again.",
  },
  CONSENT_DENIED: { status: 400, message: "Admin consent was cancelled or denied." },
  CONSENT_ADMIN_ROLE_REQUIRED: {
    status: 403,
    message:
      "Quorum was not connected: only a Global Administrator or Privileged Role Administrator of your organization, or Quorum's owner, can connect it. Ask one of them to select Grant admin consent in Quorum's Admin tab while signed in to Teams with that account.",
  },
  NOT_FOUND: { status: 404, message: "Not found." },
  CONFLICT: { status: 409, message: "The resource was changed by someone else. Reload and try again." },
  IDEMPOTENCY_KEY_REUSED: { status: 409, message: "This idempotency key was used for a different request." },
  SLOT_NO_LONGER_FREE: { status: 409, message: "The time is no longer free. Pick one of the alternatives." },
  SEAT_POOL_EXHAUSTED: { status: 409, message: "No licences are left in the seat pool." },
  INVITATION_NO_LONGER_VALID: {
    status: 409,
    message:
      "The person who invited you is no longer a Quorum owner or admin, so this invitation cannot be accepted. Ask an admin to invite you again.",
  },
  PRECONDITION_FAILED: {
    status: 412,
    message: "The meeting was changed since you opened it. Reload it and try again.",
  },
  PLAN_STALE: {
    status: 409,
    message: "The plan is out of date because something changed since it was made. Make a new plan.",
  },
  CSV_INVALID: { status: 422, message: "The CSV file could not be read." },
  PAYLOAD_TOO_LARGE: { status: 413, message: "The upload is too large." },
  RATE_LIMITED: { status: 429, message: "Too many requests. Try again shortly." },
  GRAPH_ERROR: { status: 502, message: "Microsoft 365 returned an error." },
  GRAPH_UNAVAILABLE: { status: 503, message: "Microsoft 365 could not be reached. Try again shortly." },
  SERVICE_UNAVAILABLE: { status: 503, message: "The service is not ready." },
  INTERNAL: { status: 500, message: "Something went wrong on our side." },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof errorCatalogue;

export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(
    code: ErrorCode,
    message?: string,
    options?: { cause?: unknown; details?: Record<string, unknown> },
  ) {
    super(
      message ?? errorCatalogue[code].message,
      options?.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = "DomainError";
    this.code = code;
    this.status = errorCatalogue[code].status;
    this.details = options?.details;
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
