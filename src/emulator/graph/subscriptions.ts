/**
 * Change notifications: `POST /subscriptions` with the validation handshake against `notificationUrl`
 * (and `lifecycleNotificationUrl`), renew (PATCH), delete, expiry, real HTTP POSTs of change notifications
 * when emulated data changes (also through the control API), and `missed` / `reauthorizationRequired` /
 * `subscriptionRemoved` lifecycle events on demand.
 */
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import { fetch as undiciFetch } from "undici";
import { asRecord, badRequest, GraphError, noContent, notFound, ok } from "../http.ts";
import type { TenantState } from "../model.ts";
import type { ChangeEvent, EmulatorState } from "../state.ts";
import type { GraphRouter } from "./context.ts";
import { isoSeconds } from "./context.ts";

const MAX_MINUTES = 10_080;
const VALIDATION_TIMEOUT_MS = 10_000;
const DELIVERY_TIMEOUT_MS = 3_000;
/** The delivery log of a subscription keeps its latest entries only. */
const MAX_DELIVERIES = 100;

interface Target {
  collection: ChangeEvent["collection"];
  mailboxId: string | null;
  containerId: string | null;
}

export interface Delivery {
  at: string;
  kind: "notification" | "lifecycle";
  items: number;
  status: number | null;
  error: string | null;
}

export interface Subscription {
  id: string;
  tenantId: string;
  appId: string;
  creatorId: string | null;
  resource: string;
  target: Target;
  changeTypes: string[];
  notificationUrl: string;
  lifecycleNotificationUrl: string | null;
  clientState: string | null;
  expiresAt: number;
  deliveries: Delivery[];
}

function resourceTarget(
  state: EmulatorState,
  tenant: TenantState,
  resource: string,
  userId: string | null,
): { target: Target; normalised: string } {
  const clean = resource.replace(/^\/+/, "").replace(/\/+$/, "");
  const me = clean.replace(/^me\//i, userId ? `users/${userId}/` : "me/");
  if (/^users$/i.test(me))
    return { target: { collection: "users", mailboxId: null, containerId: null }, normalised: "users" };
  const m = /^users\/([^/]+)\/(events|calendar\/events|contacts|todo\/lists\/([^/]+)\/tasks)$/i.exec(me);
  if (!m)
    throw badRequest(
      `The resource '${resource}' is not supported for subscriptions by the emulator.`,
      "InvalidRequest",
    );
  const user = state.findUser(tenant, decodeURIComponent(m[1] ?? ""));
  if (!user)
    throw new GraphError(404, "ResourceNotFound", `The user in resource '${resource}' was not found.`);
  const kind = (m[2] ?? "").toLowerCase();
  if (kind === "events" || kind === "calendar/events")
    return {
      target: { collection: "events", mailboxId: user.id, containerId: null },
      normalised: `users/${user.id}/events`,
    };
  if (kind === "contacts")
    return {
      target: { collection: "contacts", mailboxId: user.id, containerId: null },
      normalised: `users/${user.id}/contacts`,
    };
  return {
    target: { collection: "tasks", mailboxId: user.id, containerId: m[3] ?? null },
    normalised: `users/${user.id}/todo/lists/${m[3]}/tasks`,
  };
}

export class Subscriptions {
  private subs = new Map<string, Subscription>();
  private pending = new Map<string, Record<string, unknown>[]>();
  private flushScheduled = false;
  private inFlight = new Set<Promise<void>>();

  constructor(
    private readonly state: EmulatorState,
    private readonly logger: Logger | undefined,
  ) {
    state.onChange((change) => this.onChange(change));
  }

  private now(): number {
    return this.state.clock.now();
  }

  list(): Subscription[] {
    return [...this.subs.values()];
  }

  /** Takes back subscriptions saved by an earlier run (store.ts); they notify as before. */
  restore(saved: Subscription[]): void {
    this.subs = new Map(saved.map((s) => [s.id, s]));
  }

  reset(): void {
    this.subs.clear();
    this.pending.clear();
  }

  /** Waits for notification deliveries under way (tests and shutdown). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0 || this.flushScheduled) {
      await Promise.all([...this.inFlight]);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  private live(id: string, tenantId: string): Subscription {
    const s = this.subs.get(id);
    if (!s || s.tenantId !== tenantId || s.expiresAt <= this.now()) {
      throw notFound(`The object was not found.`, "ResourceNotFound");
    }
    return s;
  }

  private async validate(url: string): Promise<void> {
    const token = `Validation: Testing client application reachability for subscription Request-Id: ${randomUUID()}`;
    const target = `${url}${url.includes("?") ? "&" : "?"}validationToken=${encodeURIComponent(token)}`;
    let status: number;
    let text: string;
    try {
      const res = await undiciFetch(target, {
        method: "POST",
        headers: { "content-type": "text/plain; charset=utf-8" },
        body: "",
        signal: AbortSignal.timeout(VALIDATION_TIMEOUT_MS),
      });
      status = res.status;
      text = await res.text();
    } catch (error) {
      throw new GraphError(
        400,
        "InvalidRequest",
        `Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request. (${error instanceof Error ? error.message : String(error)})`,
      );
    }
    if (status !== 200)
      throw new GraphError(
        400,
        "InvalidRequest",
        `Subscription validation request failed. Response status code does not indicate success: ${status}.`,
      );
    if (text !== token)
      throw new GraphError(
        400,
        "InvalidRequest",
        "Subscription validation request failed. The response did not contain the decoded validationToken.",
      );
  }

  private expiry(value: unknown): number {
    const t = typeof value === "string" ? Date.parse(value) : Number.NaN;
    if (Number.isNaN(t))
      throw badRequest("expirationDateTime is required and must be an ISO 8601 date-time.", "InvalidRequest");
    if (t <= this.now()) throw badRequest("Subscription expiration must be in the future.", "InvalidRequest");
    if (t > this.now() + MAX_MINUTES * 60_000)
      throw badRequest(
        `Subscription expiration can only be ${MAX_MINUTES} minutes in the future.`,
        "InvalidRequest",
      );
    return t;
  }

  render(s: Subscription): Record<string, unknown> {
    return {
      id: s.id,
      resource: s.resource,
      applicationId: s.appId,
      changeType: s.changeTypes.join(","),
      clientState: s.clientState,
      notificationUrl: s.notificationUrl,
      notificationQueryOptions: null,
      lifecycleNotificationUrl: s.lifecycleNotificationUrl,
      expirationDateTime: new Date(s.expiresAt).toISOString().replace(/Z$/, "0000Z"),
      creatorId: s.creatorId,
      includeResourceData: false,
      latestSupportedTlsVersion: "v1_2",
      encryptionCertificate: null,
      encryptionCertificateId: null,
      notificationUrlAppId: null,
    };
  }

  async create(
    tenant: TenantState,
    appId: string,
    userId: string | null,
    raw: unknown,
  ): Promise<Subscription> {
    const body = asRecord(raw);
    const changeTypes =
      typeof body.changeType === "string" ? body.changeType.split(",").map((c) => c.trim()) : [];
    if (changeTypes.length === 0 || changeTypes.some((c) => !["created", "updated", "deleted"].includes(c))) {
      throw badRequest(
        "changeType must be a comma-separated list of created, updated, deleted.",
        "InvalidRequest",
      );
    }
    if (typeof body.notificationUrl !== "string" || !/^https?:\/\//.test(body.notificationUrl))
      throw badRequest("notificationUrl must be an absolute URL.", "InvalidRequest");
    if (
      body.lifecycleNotificationUrl !== undefined &&
      (typeof body.lifecycleNotificationUrl !== "string" ||
        !/^https?:\/\//.test(body.lifecycleNotificationUrl))
    ) {
      throw badRequest("lifecycleNotificationUrl must be an absolute URL.", "InvalidRequest");
    }
    if (
      body.clientState !== undefined &&
      (typeof body.clientState !== "string" || body.clientState.length > 128)
    )
      throw badRequest("clientState must be at most 128 characters.", "InvalidRequest");
    if (typeof body.resource !== "string") throw badRequest("resource is required.", "InvalidRequest");
    const expiresAt = this.expiry(body.expirationDateTime);
    const { target } = resourceTarget(this.state, tenant, body.resource, userId);
    await this.validate(body.notificationUrl);
    if (typeof body.lifecycleNotificationUrl === "string") await this.validate(body.lifecycleNotificationUrl);
    const s: Subscription = {
      id: randomUUID(),
      tenantId: tenant.id,
      appId,
      creatorId: userId,
      resource: body.resource,
      target,
      changeTypes,
      notificationUrl: body.notificationUrl,
      lifecycleNotificationUrl:
        typeof body.lifecycleNotificationUrl === "string" ? body.lifecycleNotificationUrl : null,
      clientState: typeof body.clientState === "string" ? body.clientState : null,
      expiresAt,
      deliveries: [],
    };
    this.subs.set(s.id, s);
    return s;
  }

  private onChange(change: ChangeEvent): void {
    const now = this.now();
    for (const s of this.subs.values()) {
      if (s.tenantId !== change.tenantId || s.expiresAt <= now) continue;
      if (s.target.collection !== change.collection) continue;
      if (s.target.mailboxId !== null && s.target.mailboxId !== change.mailboxId) continue;
      if (s.target.containerId !== null && s.target.containerId !== change.containerId) continue;
      if (!s.changeTypes.includes(change.changeType)) continue;
      const odataType = {
        events: "#Microsoft.Graph.Event",
        contacts: "#Microsoft.Graph.Contact",
        tasks: "#Microsoft.Graph.todoTask",
        users: "#Microsoft.Graph.User",
      }[change.collection];
      const list = this.pending.get(s.id) ?? [];
      list.push({
        subscriptionId: s.id,
        subscriptionExpirationDateTime: new Date(s.expiresAt).toISOString(),
        changeType: change.changeType,
        resource: change.resource,
        resourceData: { "@odata.type": odataType, "@odata.id": change.resource, id: change.itemId },
        clientState: s.clientState,
        tenantId: change.tenantId,
      });
      this.pending.set(s.id, list);
    }
    if (this.pending.size > 0 && !this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    const batches = [...this.pending];
    this.pending.clear();
    for (const [id, value] of batches) {
      const s = this.subs.get(id);
      if (!s) continue;
      this.track(this.post(s, s.notificationUrl, { value }, "notification", value.length));
    }
  }

  private track(p: Promise<void>): void {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  private async post(
    s: Subscription,
    url: string,
    body: unknown,
    kind: Delivery["kind"],
    items: number,
  ): Promise<void> {
    const delivery: Delivery = {
      at: new Date(this.now()).toISOString(),
      kind,
      items,
      status: null,
      error: null,
    };
    s.deliveries.push(delivery);
    if (s.deliveries.length > MAX_DELIVERIES) s.deliveries.splice(0, s.deliveries.length - MAX_DELIVERIES);
    try {
      const res = await undiciFetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
      });
      await res.arrayBuffer();
      delivery.status = res.status;
      if (res.status >= 300) delivery.error = `endpoint answered ${res.status}`;
    } catch (error) {
      // Graph drops notifications for slow or unreachable endpoints; the delivery log keeps the reason.
      delivery.error = error instanceof Error ? error.message : String(error);
      this.logger?.warn({ subscriptionId: s.id, url, err: error }, "change notification not delivered");
    }
  }

  async lifecycle(
    id: string,
    event: "missed" | "reauthorizationRequired" | "subscriptionRemoved",
  ): Promise<boolean> {
    const s = this.subs.get(id);
    if (!s) return false;
    const url = s.lifecycleNotificationUrl ?? s.notificationUrl;
    const value = [
      {
        subscriptionId: s.id,
        subscriptionExpirationDateTime: new Date(s.expiresAt).toISOString(),
        tenantId: s.tenantId,
        clientState: s.clientState,
        lifecycleEvent: event,
      },
    ];
    if (event === "subscriptionRemoved") this.subs.delete(id);
    const p = this.post(s, url, { value }, "lifecycle", 1);
    this.track(p);
    await p;
    return true;
  }

  register(router: GraphRouter): void {
    router.add("POST", "/subscriptions", async (_ctx, req, m) => {
      const s = await this.create(m.tenant, req.principal.appId, req.principal.userId, req.body);
      return ok({ "@odata.context": "$metadata#subscriptions/$entity", ...this.render(s) }, 201);
    });
    router.add("GET", "/subscriptions", (_ctx, req, m) =>
      ok({
        value: this.list()
          .filter(
            (s) => s.tenantId === m.tenant.id && s.appId === req.principal.appId && s.expiresAt > this.now(),
          )
          .map((s) => this.render(s)),
      }),
    );
    router.add("GET", "/subscriptions/:x", (_ctx, _req, m) =>
      ok(this.render(this.live(m.params[0] ?? "", m.tenant.id))),
    );
    router.add("PATCH", "/subscriptions/:x", (_ctx, req, m) => {
      const s = this.live(m.params[0] ?? "", m.tenant.id);
      const body = asRecord(req.body);
      s.expiresAt = this.expiry(body.expirationDateTime);
      return ok(this.render(s));
    });
    router.add("DELETE", "/subscriptions/:x", (_ctx, _req, m) => {
      const s = this.live(m.params[0] ?? "", m.tenant.id);
      this.subs.delete(s.id);
      return noContent();
    });
  }

  describe(): unknown[] {
    return this.list().map((s) => ({
      ...this.render(s),
      tenantId: s.tenantId,
      expired: s.expiresAt <= this.now(),
      deliveries: s.deliveries,
      at: isoSeconds(this.now()),
    }));
  }
}
