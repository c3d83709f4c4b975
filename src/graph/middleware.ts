/**
 * The Graph client's middleware chain, in order:
 *   retry (Retry-After honoured, capped exponential backoff with jitter, client-request-id kept across
 *   attempts, final failures become GraphError) -> per-mailbox limiter (4 concurrent, request budget)
 *   -> auth (app-only or on-behalf-of bearer token; one forced refresh on 401) -> undici transport
 *   (keep-alive pools per host, per-attempt timeout).
 */
import { randomUUID } from "node:crypto";
import type { Context, Middleware, MiddlewareOptions } from "@microsoft/microsoft-graph-client";
import type { Logger } from "pino";
import type { Agent } from "undici";
import { isDomainError } from "../core/errors.ts";
import { GraphError, GraphPassThrough, parseGraphErrorBody } from "./errors.ts";
import { type MailboxLimiter, mailboxOf } from "./limiter.ts";

/** Per-request options (pass with `.middlewareOptions([new RequestPolicy({...})])`). */
export class RequestPolicy implements MiddlewareOptions {
  constructor(
    readonly options: {
      /** May be re-sent after a 5xx or a lost connection (GET/PUT/DELETE and read-only POSTs are by default). */
      idempotent?: boolean;
      timeoutMs?: number;
      maxAttempts?: number;
      /** Mailbox limiter keys and how many slots each needs ($batch sends several requests to one mailbox). */
      mailboxes?: { key: string; weight: number }[];
    },
  ) {}
}

export interface RetrySettings {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** The longest Retry-After we wait for; longer answers fail the call with the GraphError. */
  maxRetryAfterMs: number;
  timeoutMs: number;
}

export const DEFAULT_RETRY: RetrySettings = {
  maxAttempts: 10,
  baseDelayMs: 250,
  maxDelayMs: 16_000,
  maxRetryAfterMs: 120_000,
  timeoutMs: 30_000,
};

const READ_ONLY_POST =
  /\/(getSchedule|findMeetingTimes|getMemberGroups|getMemberObjects|checkMemberGroups)$/i;

const policyOf = (context: Context): RequestPolicy["options"] =>
  (context.middlewareControl?.getMiddlewareOptions(RequestPolicy) as RequestPolicy | undefined)?.options ??
  {};

const methodOf = (context: Context) => (context.options?.method ?? "GET").toUpperCase();
const urlOf = (context: Context) =>
  typeof context.request === "string" ? context.request : context.request.url;
const pathOf = (url: string) => new URL(url).pathname;

function headersOf(context: Context): Record<string, string> {
  const raw = context.options?.headers;
  const out: Record<string, string> = {};
  if (!raw) return out;
  if (raw instanceof Headers) {
    raw.forEach((v, k) => {
      out[k] = v;
    });
  } else if (Array.isArray(raw)) {
    for (const [k, v] of raw as [string, string][]) out[k] = v;
  } else {
    for (const [k, v] of Object.entries(raw as Record<string, string>))
      if (v !== undefined) out[k] = String(v);
  }
  return out;
}

function setHeader(context: Context, name: string, value: string): void {
  const headers = headersOf(context);
  for (const k of Object.keys(headers)) if (k.toLowerCase() === name.toLowerCase()) delete headers[k];
  headers[name] = value;
  context.options = { ...(context.options ?? {}), headers };
}

/** Retry-After as milliseconds: delta seconds (fractional allowed) or an HTTP date. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

abstract class Link implements Middleware {
  protected next: Middleware | undefined;
  setNext(next: Middleware): void {
    this.next = next;
  }
  abstract execute(context: Context): Promise<void>;
  protected async forward(context: Context): Promise<void> {
    if (!this.next) throw new Error("Graph middleware chain has no transport");
    await this.next.execute(context);
  }
}

export class RetryMiddleware extends Link {
  constructor(
    private readonly settings: RetrySettings,
    private readonly logger: Logger,
    private readonly tenantId: string,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    super();
  }

  async execute(context: Context): Promise<void> {
    const method = methodOf(context);
    const url = urlOf(context);
    const path = pathOf(url);
    const policy = policyOf(context);
    const idempotent =
      policy.idempotent ?? (method !== "POST" && method !== "PATCH" ? true : READ_ONLY_POST.test(path));
    const maxAttempts = policy.maxAttempts ?? this.settings.maxAttempts;
    const clientRequestId = headersOf(context)["client-request-id"] ?? randomUUID();
    setHeader(context, "client-request-id", clientRequestId);

    for (let attempt = 1; ; attempt++) {
      context.response = undefined;
      let failure: GraphError;
      try {
        await this.forward(context);
      } catch (error) {
        if (error instanceof GraphPassThrough) throw error;
        if (isDomainError(error)) throw new GraphPassThrough(error);
        const errorCode = (error as { code?: string; name?: string })?.code ?? "";
        const timeout =
          (error as { name?: string })?.name === "TimeoutError" ||
          errorCode === "UND_ERR_HEADERS_TIMEOUT" ||
          errorCode === "UND_ERR_BODY_TIMEOUT" ||
          errorCode === "UND_ERR_CONNECT_TIMEOUT";
        failure = new GraphError({
          status: 0,
          code: timeout ? "Timeout" : "NetworkError",
          message: error instanceof Error ? error.message : String(error),
          method,
          path,
          clientRequestId,
          attempts: attempt,
          cause: error,
        });
        if (!idempotent || attempt >= maxAttempts) throw failure;
        const delay = this.backoff(attempt);
        this.logger.warn(
          {
            tenantId: this.tenantId,
            method,
            path,
            clientRequestId,
            attempt,
            delayMs: delay,
            code: failure.code,
          },
          "Graph request failed without a response; retrying",
        );
        await this.sleep(delay);
        continue;
      }
      const response = context.response as Response | undefined;
      if (!response) throw new Error("Graph transport produced no response");
      if (response.ok) return;

      const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"));
      const retryable =
        response.status === 429 ||
        response.status === 503 ||
        (idempotent && (response.status === 500 || response.status === 502 || response.status === 504));
      const text = await response.text();
      const parsed = parseGraphErrorBody(text);
      failure = new GraphError({
        status: response.status,
        code: parsed.code ?? `Http${response.status}`,
        message: parsed.message ?? (text.slice(0, 200) || response.statusText),
        method,
        path,
        requestId: response.headers.get("request-id") ?? parsed.requestId,
        clientRequestId,
        retryAfterSeconds: retryAfterMs === undefined ? undefined : retryAfterMs / 1000,
        attempts: attempt,
      });
      if (!retryable || attempt >= maxAttempts) throw failure;
      if (retryAfterMs !== undefined && retryAfterMs > this.settings.maxRetryAfterMs) throw failure;
      const delay =
        retryAfterMs !== undefined ? retryAfterMs + Math.floor(Math.random() * 50) : this.backoff(attempt);
      this.logger.debug(
        {
          tenantId: this.tenantId,
          method,
          path,
          clientRequestId,
          status: response.status,
          attempt,
          delayMs: delay,
        },
        "Graph request throttled or failed; retrying",
      );
      await this.sleep(delay);
    }
  }

  /** Capped exponential backoff with full jitter. */
  private backoff(attempt: number): number {
    const cap = Math.min(this.settings.maxDelayMs, this.settings.baseDelayMs * 2 ** (attempt - 1));
    return Math.floor(cap / 2 + Math.random() * (cap / 2));
  }
}

export class MailboxLimitMiddleware extends Link {
  constructor(
    private readonly limiter: MailboxLimiter,
    private readonly tenantId: string,
    /** Identity of the caller for `me` paths (delegated calls). */
    private readonly meKey: string | undefined,
  ) {
    super();
  }

  async execute(context: Context): Promise<void> {
    const policy = policyOf(context);
    const keys =
      policy.mailboxes ??
      (() => {
        const graphPath = pathOf(urlOf(context)).replace(/^\/(v1\.0|beta)/, "");
        const mailbox = mailboxOf(graphPath);
        if (!mailbox) return [];
        return [{ key: mailbox === "me" ? (this.meKey ?? "me") : mailbox, weight: 1 }];
      })();
    if (keys.length === 0) return this.forward(context);
    // A fixed acquisition order keeps multi-mailbox requests ($batch) from deadlocking each other.
    const sorted = [...keys].sort((a, b) => a.key.localeCompare(b.key));
    const releases: (() => void)[] = [];
    try {
      for (const k of sorted)
        releases.push(await this.limiter.acquire(`${this.tenantId}|${k.key}`, k.weight));
      await this.forward(context);
    } finally {
      for (const release of releases) release();
    }
  }
}

/** Supplies the bearer token; on a 401 it forces one fresh token and re-sends once. */
export class AuthMiddleware extends Link {
  constructor(
    private readonly token: (force: boolean) => Promise<string>,
    private readonly invalidate: () => void,
  ) {
    super();
  }

  async execute(context: Context): Promise<void> {
    setHeader(context, "Authorization", `Bearer ${await this.token(false)}`);
    await this.forward(context);
    const response = context.response as Response | undefined;
    if (response?.status !== 401) return;
    await response.arrayBuffer();
    this.invalidate();
    setHeader(context, "Authorization", `Bearer ${await this.token(true)}`);
    context.response = undefined;
    await this.forward(context);
  }
}

/** Final link: sends the request through undici's keep-alive pools and builds a WHATWG Response. */
export class UndiciTransport implements Middleware {
  constructor(
    private readonly dispatcher: Agent,
    private readonly defaultTimeoutMs: number,
  ) {}

  async execute(context: Context): Promise<void> {
    const url = new URL(urlOf(context));
    const policy = policyOf(context);
    const timeoutMs = policy.timeoutMs ?? this.defaultTimeoutMs;
    const body = context.options?.body as string | Buffer | Uint8Array | null | undefined;
    const result = await this.dispatcher.request({
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method: methodOf(context) as "GET",
      headers: headersOf(context),
      body: body ?? null,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const buffer = Buffer.from(await result.body.arrayBuffer());
    const headers = new Headers();
    for (const [k, v] of Object.entries(result.headers)) {
      if (Array.isArray(v)) for (const item of v) headers.append(k, item);
      else if (v !== undefined) headers.set(k, v);
    }
    context.response = new BufferedResponse(result.statusCode, headers, buffer) as unknown as Response;
  }
}

/**
 * The part of the WHATWG Response the SDK and our middleware use, over an already-read body. It avoids
 * building a web stream per Graph call (measurably cheaper than `new Response(...)` on Node 20).
 */
export class BufferedResponse {
  readonly ok: boolean;
  readonly statusText = "";
  readonly redirected = false;
  readonly type = "basic";
  private used = false;

  constructor(
    readonly status: number,
    readonly headers: Headers,
    private readonly buffer: Buffer,
  ) {
    this.ok = status >= 200 && status < 300;
  }

  get bodyUsed(): boolean {
    return this.used;
  }

  get body(): ReadableStream<Uint8Array> | null {
    if (this.buffer.length === 0) return null;
    const bytes = this.consume();
    return new ReadableStream({
      start(controller) {
        controller.enqueue(bytes);
        controller.close();
      },
    });
  }

  async text(): Promise<string> {
    return this.consume().toString("utf8");
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const b = this.consume();
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
  }

  async blob(): Promise<Blob> {
    return new Blob([new Uint8Array(this.consume())], { type: this.headers.get("content-type") ?? "" });
  }

  private consume(): Buffer {
    if (this.used) throw new TypeError("Body has already been consumed.");
    this.used = true;
    return this.buffer;
  }
}
