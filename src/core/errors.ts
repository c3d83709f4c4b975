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
  PLAN_HAS_PROBLEMS: {
    status: 409,
    message:
      "The plan has lines with problems. Confirm that they are skipped to commit the rest, or fix the file.",
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

/**
 * What a person reads when a seat rule refuses: one stable reason per rule, raised under its error code
 * with the parameters a host words it from (the bot in bot/strings.ts, the tab in its locales). The
 * English text is the message of the HTTP answer and what a host without a wording of its own shows.
 */
export const seatReasons = {
  SYNC_SEAT_REQUIRED: {
    code: "SEAT_REQUIRED",
    text: () => "Calendar sync needs a sync seat. Ask your admin or request to join.",
  },
  SEAT_POOL_EXHAUSTED: {
    code: "SEAT_POOL_EXHAUSTED",
    text: (p: { pool: string; total: number }) =>
      `No licences are left in the ${p.pool} seat pool: all ${p.total} are in use. Release a seat or raise the pool size.`,
  },
  SEAT_LIMIT: {
    code: "VALIDATION_FAILED",
    text: (p: { kind: string; limit: number }) => `Your plan allows at most ${p.limit} ${p.kind} seats.`,
  },
  POOL_BELOW_USE: {
    code: "CONFLICT",
    text: (p: { pool: string; used: number; requested: number }) =>
      `${p.used} ${p.pool} seats are in use; release seats before lowering the pool to ${p.requested}.`,
  },
  MEMBER_UNKNOWN: { code: "NOT_FOUND", text: () => "No such user in the imported directory." },
  MEMBER_INACTIVE: {
    code: "CONFLICT",
    text: (p: { name: string }) => `${p.name} is disabled or deleted in the directory.`,
  },
  MAILBOX_REQUIRED: {
    code: "CONFLICT",
    text: (p: { name: string }) => `${p.name} has no mailbox, so calendar sync cannot work.`,
  },
  SEAT_HELD: {
    code: "CONFLICT",
    text: (p: { name: string; kind: string }) => `${p.name} already has a ${p.kind} seat.`,
  },
  SEAT_NOT_HELD: { code: "NOT_FOUND", text: (p: { kind: string }) => `The user has no ${p.kind} seat.` },
  NUMBER_NOT_IN_POOL: {
    code: "VALIDATION_FAILED",
    text: (p: { phoneNumber: string }) => `The number ${p.phoneNumber} is not in the tenant's number pool.`,
  },
  NUMBER_TAKEN: {
    code: "CONFLICT",
    text: (p: { phoneNumber: string }) => `The number ${p.phoneNumber} is assigned to another user.`,
  },
  NUMBER_BEING_RELEASED: {
    code: "CONFLICT",
    text: () => "The user's previous phone number is still being released in Teams. Try again shortly.",
  },
  NO_FREE_NUMBER: {
    code: "CONFLICT",
    text: () => "No free phone number is left in the tenant's number pool. Add numbers first.",
  },
} as const satisfies Record<string, { code: ErrorCode; text: (params: never) => string }>;

export type SeatReason = keyof typeof seatReasons;
/** The parameters a reason is worded from (undefined for a reason with none). */
export type SeatReasonParams<R extends SeatReason> = Parameters<(typeof seatReasons)[R]["text"]>[0];
type SeatErrorOptions = { cause?: unknown };

/**
 * The DomainError of a seat rule. Its details are the reason's parameters plus `reason`, unless the code
 * already names the rule (SEAT_POOL_EXHAUSTED).
 */
export function seatError<R extends SeatReason>(
  reason: R,
  ...[params, options]: SeatReasonParams<R> extends undefined
    ? [params?: undefined, options?: SeatErrorOptions]
    : [params: SeatReasonParams<R>, options?: SeatErrorOptions]
): DomainError {
  const code: ErrorCode = seatReasons[reason].code;
  const text = seatReasons[reason].text as (p: unknown) => string;
  return new DomainError(code, text(params ?? {}), {
    ...(options?.cause === undefined ? {} : { cause: options.cause }),
    details: { ...(code === reason ? {} : { reason }), ...(params ?? {}) },
  });
}
