/** The one place where errors become HTTP responses: `{error: {code, message, requestId, details?}}`. */
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { ZodError } from "zod";
import { DomainError, errorCatalogue } from "../../core/errors.ts";
import { GraphError } from "../../graph/errors.ts";

export interface ErrorBody {
  error: { code: string; message: string; requestId: string; details?: Record<string, unknown> };
}

/** "1 MB", "50 MB", "512 KB": a byte limit as a person reads it. */
function describeBytes(bytes: number): string {
  return bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0
    ? `${bytes / (1024 * 1024)} MB`
    : bytes >= 1024 && bytes % 1024 === 0
      ? `${bytes / 1024} KB`
      : `${bytes} bytes`;
}

/** PAYLOAD_TOO_LARGE naming the limit that was passed (details.limitBytes), e.g. "The file is larger than 50 MB." */
export function payloadTooLarge(limitBytes: number, what = "The request body", cause?: unknown): DomainError {
  return new DomainError("PAYLOAD_TOO_LARGE", `${what} is larger than ${describeBytes(limitBytes)}.`, {
    ...(cause === undefined ? {} : { cause }),
    details: { limitBytes },
  });
}

export function toDomainError(error: unknown, bodyLimit?: number): DomainError | undefined {
  if (error instanceof DomainError) return error;
  if (error instanceof GraphError) return error.toDomainError();
  if (error instanceof ZodError) {
    const fields = error.issues.map((i) => ({ field: i.path.join(".") || "(body)", message: i.message }));
    return new DomainError("VALIDATION_FAILED", fields.map((f) => `${f.field}: ${f.message}`).join("; "), {
      cause: error,
      details: { fields },
    });
  }
  const fe = error as Partial<FastifyError> | undefined;
  if (fe && typeof fe === "object" && Array.isArray(fe.validation)) {
    const where = fe.validationContext ?? "body";
    const fields = fe.validation.map((v) => ({
      field: `${where}${v.instancePath ? v.instancePath.replaceAll("/", ".") : ""}${
        (v.params as { missingProperty?: string })?.missingProperty
          ? `.${(v.params as { missingProperty: string }).missingProperty}`
          : ""
      }`,
      message: v.message ?? "is invalid",
    }));
    return new DomainError("VALIDATION_FAILED", fields.map((f) => `${f.field}: ${f.message}`).join("; "), {
      cause: error,
      details: { fields },
    });
  }
  if (fe && typeof fe === "object" && typeof fe.statusCode === "number" && fe.statusCode < 500) {
    if (fe.statusCode === 413) {
      return bodyLimit === undefined
        ? new DomainError("PAYLOAD_TOO_LARGE", undefined, { cause: error })
        : payloadTooLarge(bodyLimit, "The request body", error);
    }
    if (fe.statusCode === 404) return new DomainError("NOT_FOUND", undefined, { cause: error });
    if (fe.statusCode === 429) return new DomainError("RATE_LIMITED", undefined, { cause: error });
    return new DomainError("VALIDATION_FAILED", fe.message ?? errorCatalogue.VALIDATION_FAILED.message, {
      cause: error,
    });
  }
  return undefined;
}

export function errorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const domain = toDomainError(error, request.routeOptions.bodyLimit);
  if (domain) {
    if (domain.status >= 500) request.log.error({ err: error, code: domain.code }, domain.message);
    else request.log.info({ code: domain.code }, domain.message);
    const body: ErrorBody = {
      error: {
        code: domain.code,
        message: domain.message,
        requestId: request.id,
        ...(domain.details ? { details: domain.details } : {}),
      },
    };
    return reply.status(domain.status).type("application/json").send(body);
  }
  request.log.error({ err: error }, "unhandled error");
  const body: ErrorBody = {
    error: { code: "INTERNAL", message: errorCatalogue.INTERNAL.message, requestId: request.id },
  };
  return reply.status(500).type("application/json").send(body);
}

export function notFoundHandler(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const body: ErrorBody = {
    error: {
      code: "NOT_FOUND",
      message: `No route ${request.method} ${request.url.split("?")[0]}`,
      requestId: request.id,
    },
  };
  return reply.status(404).send(body);
}
