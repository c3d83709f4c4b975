/**
 * The emulator's control API (not Graph), JSON over `${url}/_emulator`. No authentication: it is a local
 * test and demo tool bound to 127.0.0.1.
 *
 *   GET    /_emulator                                   -> { url, graphBaseUrl, authorityHost, caCertificate, demoWeek, tenants[] }
 *   GET    /_emulator/ca.pem                            -> the emulator's TLS certificate (PEM) to trust
 *   POST   /_emulator/reset                             -> 204; back to the seed (consent revoked, faults and stats cleared)
 *   POST   /_emulator/snapshots                         -> 201 { snapshotId }
 *   POST   /_emulator/snapshots/{snapshotId}/restore    -> 204
 *   GET    /_emulator/tenants/{tid}/consent             -> { granted, grantedAt, revokedAt, grantedBy }
 *   POST   /_emulator/tenants/{tid}/consent             {adminUpn?, permissions?} -> 200 consent state (grant; permissions
 *                                                       narrows the application permissions, e.g. to test a missing one)
 *   DELETE /_emulator/tenants/{tid}/consent             -> 200 consent state (revoke; existing Graph tokens stop working)
 *   POST   /_emulator/tenants/{tid}/users               {displayName, mail, timeZone?, ...} -> 201 user
 *   PATCH  /_emulator/tenants/{tid}/users/{id|upn}      {displayName?, accountEnabled?, jobTitle?, mail?} -> 200 user
 *   DELETE /_emulator/tenants/{tid}/users/{id|upn}      -> 204 (soft delete; /users/delta reports @removed)
 *   POST   /_emulator/tenants/{tid}/users/{user}/events           Graph event JSON -> 201 event ("as if created in Outlook")
 *   PATCH  /_emulator/tenants/{tid}/users/{user}/events/{id}      Graph event JSON -> 200 event (fires notifications)
 *   DELETE /_emulator/tenants/{tid}/users/{user}/events/{id}      -> 204
 *   POST   /_emulator/tenants/{tid}/delta/expire        -> 200 { expired }; every delta token of the tenant answers syncStateNotFound
 *   POST   /_emulator/tenants/{tid}/delta/quirks        {emptyPages?, duplicates?} -> 200; delta rounds start with an empty
 *                                                       page carrying a nextLink and/or repeat an item across pages
 *   GET    /_emulator/tenants/{tid}/phone-numbers       -> { value: PhoneNumber[] } (assigned and free)
 *   POST   /_emulator/faults                            FaultRuleInput -> 201 rule; see faults.ts
 *   GET    /_emulator/faults                            -> { value: rules }
 *   DELETE /_emulator/faults[/{id}]                     -> 204
 *   GET    /_emulator/throttling                        -> { limits, value: [{appId, mailbox, inFlight, maxConcurrent, requests, throttled}] }
 *   DELETE /_emulator/throttling                        -> 204 (clears the statistics)
 *   GET    /_emulator/subscriptions                     -> { value: [{...subscription, deliveries}] }
 *   POST   /_emulator/subscriptions/{id}/lifecycle      {event: "missed"|"reauthorizationRequired"|"subscriptionRemoved"} -> 202
 *   POST   /_emulator/dev/sso-token                     {tenantId, user, audience?, scopes?, expiresInSeconds?,
 *                                                        clientAppId?} -> { token } (azp = clientAppId, Teams web by default)
 * Errors: `{ error: { code, message } }` with 400/404.
 */
import { z } from "zod";
import { grantConsent, revokeConsent } from "./consent.ts";
import type { Entra } from "./entra.ts";
import { type Faults, faultRuleSchema } from "./faults.ts";
import { userResource } from "./graph/directory.ts";
import type { Principal } from "./http.ts";
import type { EmUser } from "./model.ts";
import { type Pipeline, runGraph } from "./pipeline.ts";
import { guidFrom } from "./seed-random.ts";
import { indexAddresses } from "./seed-tenant.ts";
import type { EmulatorState } from "./state.ts";
import type { Throttle } from "./throttle.ts";
import { toIana } from "./time.ts";

export interface ControlAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** Hooks into parts built after the control API (subscriptions). */
export interface ControlHooks {
  listSubscriptions(): unknown[];
  lifecycle(
    id: string,
    event: "missed" | "reauthorizationRequired" | "subscriptionRemoved",
  ): Promise<boolean>;
  reset(): void;
  expireDelta(tenantId: string): number;
  deltaQuirks(tenantId: string, quirks: { emptyPages: boolean; duplicates: boolean }): void;
}

const userSchema = z.object({
  displayName: z.string().min(1),
  mail: z.email(),
  userPrincipalName: z.email().optional(),
  timeZone: z.string().default("Europe/Paris"),
  jobTitle: z.string().optional(),
  department: z.string().optional(),
  accountEnabled: z.boolean().default(true),
  id: z.uuid().optional(),
});
const userPatchSchema = z.object({
  displayName: z.string().min(1).optional(),
  mail: z.email().optional(),
  jobTitle: z.string().nullable().optional(),
  department: z.string().nullable().optional(),
  accountEnabled: z.boolean().optional(),
});
const ssoSchema = z.object({
  tenantId: z.string().min(1),
  user: z.string().min(1),
  audience: z.string().optional(),
  scopes: z.string().optional(),
  expiresInSeconds: z.number().int().min(1).optional(),
  clientAppId: z.uuid().optional(),
});
const consentSchema = z.object({
  adminUpn: z.string().optional(),
  permissions: z.array(z.string()).optional(),
});
const quirksSchema = z.object({
  emptyPages: z.boolean().default(false),
  duplicates: z.boolean().default(false),
});
const lifecycleSchema = z.object({
  event: z.enum(["missed", "reauthorizationRequired", "subscriptionRemoved"]),
});

function fail(status: number, code: string, message: string): ControlAnswer {
  return { status, body: { error: { code, message } } };
}

export class ControlApi {
  hooks: ControlHooks | undefined;

  constructor(
    readonly state: EmulatorState,
    private readonly entra: Entra,
    private readonly pipeline: Pipeline,
    private readonly faults: Faults,
    private readonly throttle: Throttle,
    private readonly site: () => { url: string; graphBaseUrl: string; caCertPem: string },
  ) {}

  describe(): Record<string, unknown> {
    const { url, graphBaseUrl } = this.site();
    return {
      name: "Microsoft 365 tenant emulator",
      url,
      graphBaseUrl,
      authorityHost: url,
      caCertificate: `${url}/_emulator/ca.pem`,
      /** Monday of the week the demo calendars were generated around (kept across restarts on a data dir). */
      demoWeek: new Date(this.state.anchor).toISOString().slice(0, 10),
      tenants: this.state.tenantList().map((t) => ({
        id: t.id,
        name: t.name,
        domain: t.domain,
        authority: `${url}/${t.id}`,
        consented: t.consent.granted,
        users: [...t.users.values()].filter((u) => u.kind === "user").length,
      })),
      control: `${url}/_emulator`,
    };
  }

  async handle(method: string, path: string, text: string): Promise<ControlAnswer> {
    let body: unknown;
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        return fail(400, "invalid_json", "The body is not valid JSON.");
      }
    }
    const seg = path
      .split("/")
      .filter(Boolean)
      .map((s) => decodeURIComponent(s));
    const route = `${method} /${seg.map((s, i) => (isParam(seg, i) ? "*" : s)).join("/")}`;
    try {
      switch (route) {
        case "GET /":
          return { status: 200, body: this.describe() };
        case "GET /ca.pem":
          return {
            status: 200,
            headers: {
              "content-type": "application/x-pem-file",
              "content-disposition": 'attachment; filename="m365-emulator-ca.pem"',
            },
            body: this.site().caCertPem,
          };
        case "POST /reset":
          this.state.reset();
          this.faults.clear();
          this.throttle.reset();
          this.hooks?.reset();
          return { status: 204 };
        case "POST /snapshots":
          return { status: 201, body: { snapshotId: this.state.snapshot() } };
        case "POST /snapshots/*/restore":
          return this.state.restore(seg[1] ?? "")
            ? { status: 204 }
            : fail(404, "not_found", `No snapshot ${seg[1]}.`);
        case "GET /tenants/*/consent":
          return this.consentState(seg[1] ?? "");
        case "POST /tenants/*/consent": {
          const tenant = this.state.tenant(seg[1] ?? "");
          if (!tenant) return fail(404, "not_found", `No tenant ${seg[1]}.`);
          const input = consentSchema.parse(body ?? {});
          const upn = input.adminUpn;
          const admin = upn
            ? this.state.findUser(tenant, upn)
            : [...tenant.users.values()].find((u) => u.directoryRoles.includes("Global Administrator"));
          if (!admin?.directoryRoles.includes("Global Administrator"))
            return fail(400, "not_admin", "Consent needs a Global Administrator of the tenant.");
          const unknown = (input.permissions ?? []).filter(
            (p) => !this.entra.app.applicationPermissions.includes(p),
          );
          if (unknown.length > 0)
            return fail(400, "unknown_permission", `The app does not request ${unknown.join(", ")}.`);
          grantConsent(this.state, tenant.id, admin.id, input.permissions ?? null);
          return this.consentState(tenant.id);
        }
        case "DELETE /tenants/*/consent":
          if (!revokeConsent(this.state, seg[1] ?? "")) return fail(404, "not_found", `No tenant ${seg[1]}.`);
          return this.consentState(seg[1] ?? "");
        case "POST /tenants/*/users":
          return this.createUser(seg[1] ?? "", body);
        case "PATCH /tenants/*/users/*":
          return this.patchUser(seg[1] ?? "", seg[3] ?? "", body);
        case "DELETE /tenants/*/users/*":
          return this.deleteUser(seg[1] ?? "", seg[3] ?? "");
        case "POST /tenants/*/users/*/events":
        case "PATCH /tenants/*/users/*/events/*":
        case "DELETE /tenants/*/users/*/events/*":
          // The same call on Graph's path (/users/{user}/events[/{id}]), made in Outlook by the owner.
          return this.asOutlook(
            seg[1] ?? "",
            seg[3] ?? "",
            method,
            `/${seg.slice(2).join("/")}`,
            method === "DELETE" ? undefined : body,
          );
        case "POST /tenants/*/delta/expire": {
          const tenant = this.state.tenant(seg[1] ?? "");
          if (!tenant) return fail(404, "not_found", `No tenant ${seg[1]}.`);
          tenant.deltaEpoch += 1;
          return {
            status: 200,
            body: { expired: this.hooks?.expireDelta(tenant.id) ?? 0, epoch: tenant.deltaEpoch },
          };
        }
        case "POST /tenants/*/delta/quirks": {
          const tenant = this.state.tenant(seg[1] ?? "");
          if (!tenant) return fail(404, "not_found", `No tenant ${seg[1]}.`);
          const quirks = quirksSchema.parse(body ?? {});
          this.hooks?.deltaQuirks(tenant.id, quirks);
          return { status: 200, body: quirks };
        }
        case "GET /tenants/*/phone-numbers": {
          const tenant = this.state.tenant(seg[1] ?? "");
          if (!tenant) return fail(404, "not_found", `No tenant ${seg[1]}.`);
          return { status: 200, body: { value: tenant.phoneNumbers } };
        }
        case "POST /faults": {
          const parsed = faultRuleSchema.safeParse(body ?? {});
          if (!parsed.success) return fail(400, "invalid_fault", parsed.error.message);
          return { status: 201, body: this.faults.add(parsed.data) };
        }
        case "GET /faults":
          return { status: 200, body: { value: this.faults.list() } };
        case "DELETE /faults":
          this.faults.clear();
          return { status: 204 };
        case "DELETE /faults/*":
          return this.faults.remove(seg[1] ?? "")
            ? { status: 204 }
            : fail(404, "not_found", `No fault ${seg[1]}.`);
        case "GET /throttling":
          return { status: 200, body: { limits: this.throttle.limits, value: this.throttle.stats() } };
        case "DELETE /throttling":
          this.throttle.reset();
          return { status: 204 };
        case "GET /subscriptions":
          return { status: 200, body: { value: this.hooks?.listSubscriptions() ?? [] } };
        case "POST /subscriptions/*/lifecycle": {
          const parsed = lifecycleSchema.safeParse(body);
          if (!parsed.success)
            return fail(
              400,
              "invalid_event",
              "event must be missed, reauthorizationRequired or subscriptionRemoved.",
            );
          const done = await this.hooks?.lifecycle(seg[1] ?? "", parsed.data.event);
          return done ? { status: 202 } : fail(404, "not_found", `No subscription ${seg[1]}.`);
        }
        case "POST /dev/sso-token": {
          const parsed = ssoSchema.safeParse(body);
          if (!parsed.success)
            return fail(
              400,
              "invalid_request",
              "Body must be {tenantId, user, audience?, scopes?, expiresInSeconds?, clientAppId?}.",
            );
          const { tenantId, user, ...options } = parsed.data;
          try {
            return { status: 200, body: { token: await this.entra.signInToken(tenantId, user, options) } };
          } catch (error) {
            return fail(404, "not_found", error instanceof Error ? error.message : String(error));
          }
        }
        default:
          return fail(404, "not_found", `No control endpoint ${method} /_emulator${path}.`);
      }
    } catch (error) {
      if (error instanceof z.ZodError) return fail(400, "invalid_request", error.message);
      throw error;
    }
  }

  private consentState(tenantId: string): ControlAnswer {
    const tenant = this.state.tenant(tenantId);
    if (!tenant) return fail(404, "not_found", `No tenant ${tenantId}.`);
    return { status: 200, body: { tenantId: tenant.id, ...tenant.consent } };
  }

  private createUser(tenantId: string, body: unknown): ControlAnswer {
    const tenant = this.state.tenant(tenantId);
    if (!tenant) return fail(404, "not_found", `No tenant ${tenantId}.`);
    const input = userSchema.parse(body);
    const zone = toIana(input.timeZone);
    if (!zone) return fail(400, "invalid_time_zone", `Unknown time zone ${input.timeZone}.`);
    if (tenant.byAddress.has(input.mail.toLowerCase())) return fail(409, "conflict", `${input.mail} exists.`);
    const [given, ...rest] = input.displayName.split(" ");
    const user: EmUser = {
      id: input.id ?? guidFrom(`${tenant.id}:created:${input.mail}`),
      kind: "user",
      displayName: input.displayName,
      givenName: given ?? null,
      surname: rest.join(" ") || null,
      mail: input.mail,
      userPrincipalName: input.userPrincipalName ?? input.mail,
      proxyAddresses: [`SMTP:${input.mail}`],
      jobTitle: input.jobTitle ?? null,
      department: input.department ?? null,
      officeLocation: null,
      preferredLanguage: "en-US",
      mobilePhone: null,
      businessPhones: [],
      accountEnabled: input.accountEnabled,
      usageLocation: null,
      timeZone: zone,
      workingHours: {
        daysOfWeek: ["monday", "tuesday", "wednesday", "thursday", "friday"],
        startMinutes: 9 * 60,
        endMinutes: 17 * 60,
      },
      directoryRoles: [],
      hasMailbox: true,
      createdDateTime: new Date(this.state.clock.now()).toISOString().replace(/\.\d{3}Z$/, "Z"),
      version: this.state.nextVersion(),
    };
    tenant.users.set(user.id, user);
    tenant.userOrder.push(user.id);
    tenant.deletedUsers.delete(user.id);
    indexAddresses(tenant.byAddress, user);
    this.state.emit({
      tenantId: tenant.id,
      resource: `Users/${user.id}`,
      collection: "users",
      mailboxId: null,
      containerId: null,
      itemId: user.id,
      changeType: "created",
    });
    return { status: 201, body: userResource(user) };
  }

  private patchUser(tenantId: string, key: string, body: unknown): ControlAnswer {
    const tenant = this.state.tenant(tenantId);
    const user = tenant ? this.state.findUser(tenant, key) : undefined;
    if (!tenant || !user) return fail(404, "not_found", `No user ${key}.`);
    const patch = userPatchSchema.parse(body);
    if (patch.displayName !== undefined) user.displayName = patch.displayName;
    if (patch.jobTitle !== undefined) user.jobTitle = patch.jobTitle;
    if (patch.department !== undefined) user.department = patch.department;
    if (patch.accountEnabled !== undefined) user.accountEnabled = patch.accountEnabled;
    if (patch.mail !== undefined) {
      user.proxyAddresses = [
        `SMTP:${patch.mail}`,
        ...user.proxyAddresses.filter((p) => !p.startsWith("SMTP:")),
        `smtp:${user.mail}`,
      ];
      user.mail = patch.mail;
      indexAddresses(tenant.byAddress, user);
    }
    user.version = this.state.nextVersion();
    this.state.emit({
      tenantId: tenant.id,
      resource: `Users/${user.id}`,
      collection: "users",
      mailboxId: null,
      containerId: null,
      itemId: user.id,
      changeType: "updated",
    });
    return { status: 200, body: userResource(user) };
  }

  private deleteUser(tenantId: string, key: string): ControlAnswer {
    const tenant = this.state.tenant(tenantId);
    const user = tenant ? this.state.findUser(tenant, key) : undefined;
    if (!tenant || !user) return fail(404, "not_found", `No user ${key}.`);
    tenant.users.delete(user.id);
    tenant.userOrder = tenant.userOrder.filter((id) => id !== user.id);
    for (const [addr, id] of tenant.byAddress) if (id === user.id) tenant.byAddress.delete(addr);
    for (const g of tenant.groups.values()) g.memberIds = g.memberIds.filter((id) => id !== user.id);
    tenant.deletedUsers.set(user.id, this.state.clock.now());
    this.state.emit({
      tenantId: tenant.id,
      resource: `Users/${user.id}`,
      collection: "users",
      mailboxId: null,
      containerId: null,
      itemId: user.id,
      changeType: "deleted",
    });
    return { status: 204 };
  }

  /** Runs a Graph call as the mailbox owner in Outlook: no throttling or faults, notifications fire. */
  private async asOutlook(
    tenantId: string,
    userKey: string,
    method: string,
    path: string,
    body: unknown,
  ): Promise<ControlAnswer> {
    const tenant = this.state.tenant(tenantId);
    const user = tenant ? this.state.findUser(tenant, userKey) : undefined;
    if (!tenant || !user) return fail(404, "not_found", `No user ${userKey} in tenant ${tenantId}.`);
    const principal: Principal = {
      tenantId: tenant.id,
      appId: "outlook",
      userId: user.id,
      roles: [],
      scopes: ["Calendars.ReadWrite"],
      issuedAt: this.state.clock.now(),
    };
    const response = await runGraph(
      this.pipeline,
      {
        method,
        path,
        query: new URLSearchParams(),
        headers: { "content-type": "application/json" },
        body,
        principal,
        requestId: `outlook-${Date.now()}`,
        inBatch: false,
      },
      false,
    );
    return {
      status: response.status,
      headers: response.headers,
      ...(response.body !== undefined ? { body: response.body } : {}),
    };
  }
}

function isParam(seg: string[], i: number): boolean {
  const first = seg[0];
  if (first === "tenants") return i === 1 || (seg[2] === "users" && (i === 3 || i === 5));
  if (first === "snapshots" || first === "faults" || first === "subscriptions") return i === 1;
  return false;
}
