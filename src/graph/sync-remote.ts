/**
 * Sync's `RemoteItems` for calendar events on Microsoft Graph: the primary calendar's view tracked with
 * `calendarView/delta` over the sync window (its `@odata.nextLink` and `@odata.deltaLink` are the page and
 * delta tokens, kept relative to the Graph root so they never carry a host), occurrences and exceptions
 * expanded, writes with `If-Match` on the changeKey, creates under a `transactionId` (found again with
 * `$filter`), Quorum's calendar found and made by name, and change subscriptions on the user's events.
 * Every request asks for immutable ids and UTC times. A bare occurrence in a delta page (Graph sends some
 * with ids and times only) is read whole with one more request, never taken as an event with blank fields.
 *
 * Each call is one request (or one page), not retried on Graph's answers: Graph's answer becomes a
 * `RemoteFailure` the engine acts on (412/409 precondition-failed, 404 not-found, syncStateNotFound /
 * resyncRequired / 410 token-expired, 429 or 503 with Retry-After throttled, MailboxNotEnabledForRESTAPI /
 * 401 / 403 mailbox-unavailable, 409 ErrorFolderExists already-exists, 5xx and timeouts unavailable).
 * Events carry their calendar only where the request names it (a create, a container's events); elsewhere
 * `containerId` is null: unknown, or the primary calendar.
 */
import { ResponseType } from "@microsoft/microsoft-graph-client";
import { z } from "zod";
import { isDomainError } from "../core/errors.ts";
import {
  containerNames,
  type ItemFields,
  type SyncChunk,
  type SyncScope,
  type SyncWindow,
} from "../core/sync/model.ts";
import type {
  CreateInput,
  DeltaPage,
  ListPage,
  RemoteChange,
  RemoteFailure,
  RemoteItem,
  RemoteItems,
  RemoteResult,
} from "../core/sync/ports.ts";
import { GraphError, unwrapGraphFailure } from "./errors.ts";
import type { GraphGateway } from "./gateway.ts";
import { RequestPolicy } from "./middleware.ts";
import {
  calendarList,
  collection,
  graphEventOf,
  itemOf,
  removedEntry,
  subscription,
} from "./sync-event-fields.ts";

export interface GraphEventItemsOptions {
  graph: GraphGateway;
  /** Where Graph posts change notifications (and validates them), and lifecycle events. */
  notificationUrl: string;
  lifecycleNotificationUrl: string | null;
  /** The secret Graph echoes in every notification of the scope's subscription (≤ 128 characters). */
  clientState: (scope: SyncScope) => string;
  /** Subscription lifetime; Graph's documented limit for events is 4,230 minutes (some say 10,080). */
  subscriptionMinutes?: number;
  /** Items a delta or list page asks for (`Prefer: odata.maxpagesize`, `$top`). */
  pageSize?: number;
  /** Pages of one initial delta round at most (a nextLink can repeat). */
  maxInitialPages?: number;
  now: () => number;
}

const PREFER = 'IdType="ImmutableId", outlook.timezone="UTC"';
const DEFAULT_THROTTLE_MS = 30_000;

// ---------------------------------------------------------------------------------------- failures

/** What a failed Graph call means to the engine; anything else is thrown. */
export function remoteFailureOf(error: unknown): RemoteFailure {
  if (isDomainError(error) && error.code === "RECONNECT_NEEDED")
    return { kind: "mailbox-unavailable", graphCode: "RECONNECT_NEEDED", consentLost: true };
  if (!(error instanceof GraphError)) throw error;
  const { status, code } = error;
  if (
    code === "syncStateNotFound" ||
    code === "resyncRequired" ||
    code === "SyncStateNotFound" ||
    status === 410
  )
    return { kind: "token-expired" };
  if (status === 429 || (status === 503 && error.retryAfterSeconds !== undefined))
    return {
      kind: "throttled",
      retryAfterMs:
        error.retryAfterSeconds === undefined
          ? DEFAULT_THROTTLE_MS
          : Math.round(error.retryAfterSeconds * 1000),
    };
  if (status === 412 || (status === 409 && code === "ErrorIrresolvableConflict"))
    return { kind: "precondition-failed" };
  if (status === 409 && code === "ErrorFolderExists") return { kind: "already-exists" };
  if (
    code === "MailboxNotEnabledForRESTAPI" ||
    code === "ErrorInvalidUser" ||
    code === "ErrorMailboxNotFound"
  )
    return { kind: "mailbox-unavailable", graphCode: code, consentLost: false };
  if (status === 401) return { kind: "mailbox-unavailable", graphCode: code, consentLost: true };
  if (status === 403) return { kind: "mailbox-unavailable", graphCode: code, consentLost: false };
  if (status === 404) return { kind: "not-found" };
  if (status === 0 || status >= 500) return { kind: "unavailable", status, graphCode: code };
  throw error;
}

const ok = <T>(value: T): RemoteResult<T> => ({ ok: true, value });

/** A link Graph gave, relative to its version root (`/users/...?$deltatoken=...`): tokens name no host. */
function relativeLink(link: string): string {
  if (link.startsWith("/")) return link;
  const url = new URL(link);
  return `${url.pathname.replace(/^\/[^/]+/, "")}${url.search}`;
}

const quoted = (s: string) => `'${s.replace(/'/g, "''")}'`;
const iso = (ms: number) => new Date(ms).toISOString();

// ----------------------------------------------------------------------------------------- adapter

export class GraphEventItems implements RemoteItems {
  private readonly pageSize: number;

  constructor(private readonly options: GraphEventItemsOptions) {
    this.pageSize = options.pageSize ?? 50;
  }

  /**
   * One Graph request, not retried on Graph's answers (429 included): a failure Graph explains becomes a
   * RemoteFailure. A read that got no answer at all (a kept-alive connection closed under it) is sent
   * once more, as the gateway does for every idempotent request.
   */
  private async call<T>(
    scope: SyncScope,
    method: "GET" | "POST" | "PATCH" | "DELETE",
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<RemoteResult<T>> {
    const client = this.options.graph.forTenant(scope.tenantId).client;
    for (let attempt = 1; ; attempt++) {
      const request = client
        .api(path)
        .responseType(ResponseType.RAW)
        .headers({ Prefer: PREFER, ...headers })
        .middlewareOptions([new RequestPolicy({ maxAttempts: 1, idempotent: method !== "POST" })]);
      let raw: Response;
      try {
        raw =
          method === "GET"
            ? await request.get()
            : method === "POST"
              ? await request.post(body ?? {})
              : method === "PATCH"
                ? await request.patch(body ?? {})
                : await request.delete();
      } catch (error) {
        const failure = unwrapGraphFailure(error, method, path.split("?")[0]);
        const unanswered =
          failure instanceof GraphError && failure.status === 0 && failure.code === "NetworkError";
        if (unanswered && method === "GET" && attempt < 2) continue;
        return { ok: false, failure: remoteFailureOf(failure) };
      }
      const text = await raw.text();
      return ok((text ? JSON.parse(text) : null) as T);
    }
  }

  private user(scope: SyncScope) {
    if (scope.resource !== "event")
      throw new Error(`GraphEventItems serves calendar events, not ${scope.resource}s`);
    return `/users/${encodeURIComponent(scope.userId)}`;
  }

  private deltaStart(scope: SyncScope, window: SyncWindow): string {
    const q = new URLSearchParams({ startDateTime: iso(window.from), endDateTime: iso(window.to) });
    return `${this.user(scope)}/calendarView/delta?${q}`;
  }

  /** One page of a delta round; `read` false follows the links only (the initial round is not needed). */
  private async deltaPage(scope: SyncScope, link: string, read = true): Promise<RemoteResult<DeltaPage>> {
    const res = await this.call<unknown>(scope, "GET", link, undefined, {
      Prefer: `${PREFER}, odata.maxpagesize=${this.pageSize}`,
    });
    if (!res.ok) return res;
    const page = collection.parse(res.value);
    const changes: RemoteChange[] = [];
    for (const entry of read ? page.value : []) {
      const removed = removedEntry.safeParse(entry);
      if (removed.success) {
        changes.push({ kind: "removed", id: removed.data.id });
        continue;
      }
      if (typeof (entry as { changeKey?: unknown }).changeKey === "string") {
        changes.push({ kind: "upsert", item: itemOf(entry, null) });
        continue;
      }
      // Graph sends some occurrences bare (ids and times only): read them whole, never as blank fields.
      const id = z.object({ id: z.string() }).parse(entry).id;
      const whole = await this.get(scope, id);
      if (whole.ok) changes.push({ kind: "upsert", item: whole.value });
      else if (whole.failure.kind === "not-found") changes.push({ kind: "removed", id });
      else return whole;
    }
    const next = page["@odata.nextLink"];
    const delta = page["@odata.deltaLink"];
    return ok({
      changes,
      nextPageToken: next ? relativeLink(next) : null,
      deltaToken: !next && delta ? relativeLink(delta) : null,
    });
  }

  async beginTracking(scope: SyncScope, window: SyncWindow | null): Promise<RemoteResult<string>> {
    if (!window) throw new Error("calendar events are tracked within a window");
    let link = this.deltaStart(scope, window);
    const maxPages = this.options.maxInitialPages ?? 10_000;
    for (let pages = 0; pages < maxPages; pages++) {
      const page = await this.deltaPage(scope, link, false);
      if (!page.ok) return page;
      if (page.value.deltaToken) return ok(page.value.deltaToken);
      if (!page.value.nextPageToken) break;
      link = page.value.nextPageToken;
    }
    return {
      ok: false,
      failure: { kind: "unavailable", status: 0, graphCode: "DeltaRoundWithoutEnd" },
    };
  }

  async delta(scope: SyncScope, token: string): Promise<RemoteResult<DeltaPage>> {
    this.user(scope);
    return this.deltaPage(scope, relativeLink(token));
  }

  async list(scope: SyncScope, chunk: SyncChunk, pageToken: string | null): Promise<RemoteResult<ListPage>> {
    if (chunk.from === null || chunk.to === null) throw new Error("calendar events are listed by time span");
    const q = new URLSearchParams({
      startDateTime: iso(chunk.from),
      endDateTime: iso(chunk.to),
      $top: String(this.pageSize),
    });
    const link = pageToken ?? `${this.user(scope)}/calendarView?${q}`;
    const res = await this.call<unknown>(scope, "GET", relativeLink(link));
    if (!res.ok) return res;
    const page = collection.parse(res.value);
    const next = page["@odata.nextLink"];
    return ok({
      items: page.value.map((e) => itemOf(e, null)),
      nextPageToken: next ? relativeLink(next) : null,
    });
  }

  async get(scope: SyncScope, id: string): Promise<RemoteResult<RemoteItem>> {
    const res = await this.call<unknown>(
      scope,
      "GET",
      `${this.user(scope)}/events/${encodeURIComponent(id)}`,
    );
    return res.ok ? ok(itemOf(res.value, null)) : res;
  }

  /** The primary calendar first, then Quorum's calendar when there is one. */
  async findByTransactionId(
    scope: SyncScope,
    transactionId: string,
  ): Promise<RemoteResult<RemoteItem | null>> {
    const filter = `$filter=${encodeURIComponent(`transactionId eq ${quoted(transactionId)}`)}&$top=1`;
    const primary = await this.call<unknown>(scope, "GET", `${this.user(scope)}/events?${filter}`);
    if (!primary.ok) return primary;
    const [hit] = collection.parse(primary.value).value;
    if (hit) return ok(itemOf(hit, null));
    const container = await this.findContainer(scope, containerNames.event);
    if (!container.ok || container.value === null) return container.ok ? ok(null) : container;
    const path = `${this.user(scope)}/calendars/${encodeURIComponent(container.value)}/events?${filter}`;
    const inContainer = await this.call<unknown>(scope, "GET", path);
    if (!inContainer.ok) return inContainer;
    const [found] = collection.parse(inContainer.value).value;
    return ok(found ? itemOf(found, container.value) : null);
  }

  async create(scope: SyncScope, input: CreateInput): Promise<RemoteResult<RemoteItem>> {
    if (input.fields.resource !== "event") throw new Error("GraphEventItems creates events only");
    const path = input.containerId
      ? `${this.user(scope)}/calendars/${encodeURIComponent(input.containerId)}/events`
      : `${this.user(scope)}/events`;
    const res = await this.call<unknown>(scope, "POST", path, {
      ...graphEventOf(input.fields),
      transactionId: input.transactionId,
    });
    return res.ok ? ok(itemOf(res.value, input.containerId)) : res;
  }

  async update(
    scope: SyncScope,
    id: string,
    ifMatch: string,
    fields: ItemFields,
  ): Promise<RemoteResult<RemoteItem>> {
    if (fields.resource !== "event") throw new Error("GraphEventItems updates events only");
    const patch = graphEventOf(fields);
    if (fields.kind === "occurrence" || fields.kind === "exception") delete patch.recurrence;
    const res = await this.call<unknown>(
      scope,
      "PATCH",
      `${this.user(scope)}/events/${encodeURIComponent(id)}`,
      patch,
      { "If-Match": `W/"${ifMatch}"` },
    );
    return res.ok ? ok(itemOf(res.value, null)) : res;
  }

  async delete(scope: SyncScope, id: string, ifMatch: string): Promise<RemoteResult<null>> {
    const res = await this.call<unknown>(
      scope,
      "DELETE",
      `${this.user(scope)}/events/${encodeURIComponent(id)}`,
      undefined,
      { "If-Match": `W/"${ifMatch}"` },
    );
    return res.ok ? ok(null) : res;
  }

  /** Calendar names compare case-insensitively, as Graph's ErrorFolderExists does. */
  async findContainer(scope: SyncScope, name: string): Promise<RemoteResult<string | null>> {
    let link: string | null = `${this.user(scope)}/calendars?$select=id,name&$top=100`;
    while (link) {
      const res: RemoteResult<unknown> = await this.call<unknown>(scope, "GET", link);
      if (!res.ok) return res;
      const page = calendarList.parse(res.value);
      const hit = page.value.find((c) => (c.name ?? "").toLowerCase() === name.toLowerCase());
      if (hit) return ok(hit.id);
      const next = page["@odata.nextLink"];
      link = next ? relativeLink(next) : null;
    }
    return ok(null);
  }

  async createContainer(scope: SyncScope, name: string): Promise<RemoteResult<string>> {
    const res = await this.call<{ id: string }>(scope, "POST", `${this.user(scope)}/calendars`, { name });
    return res.ok ? ok(z.object({ id: z.string() }).parse(res.value).id) : res;
  }

  async deleteContainer(scope: SyncScope, containerId: string): Promise<RemoteResult<null>> {
    const res = await this.call(
      scope,
      "DELETE",
      `${this.user(scope)}/calendars/${encodeURIComponent(containerId)}`,
    );
    return res.ok ? ok(null) : res;
  }

  async subscribe(scope: SyncScope): Promise<RemoteResult<{ id: string; expiresAt: number }>> {
    const minutes = this.options.subscriptionMinutes ?? 4_230;
    const res = await this.call<unknown>(scope, "POST", "/subscriptions", {
      changeType: "created,updated,deleted",
      notificationUrl: this.options.notificationUrl,
      ...(this.options.lifecycleNotificationUrl
        ? { lifecycleNotificationUrl: this.options.lifecycleNotificationUrl }
        : {}),
      resource: `${this.user(scope)}/events`,
      expirationDateTime: iso(this.options.now() + minutes * 60_000),
      clientState: this.options.clientState(scope),
    });
    if (!res.ok) return res;
    const s = subscription.parse(res.value);
    return ok({ id: s.id, expiresAt: Date.parse(s.expirationDateTime) });
  }

  async unsubscribe(scope: SyncScope, subscriptionId: string): Promise<RemoteResult<null>> {
    this.user(scope);
    const res = await this.call(scope, "DELETE", `/subscriptions/${encodeURIComponent(subscriptionId)}`);
    return res.ok ? ok(null) : res;
  }
}
