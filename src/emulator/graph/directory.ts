/**
 * Directory: `/users` (filter, select, top, paging, count), `/users/{id|upn}`, `/users/delta`,
 * `/users/{id}/mailboxSettings`, `/groups`, `/groups/{id}/members`, `/places/microsoft.graph.room`.
 */
import {
  asRecord,
  decodeToken,
  encodeToken,
  GraphError,
  type GraphRequest,
  ok,
  resourceNotFound,
} from "../http.ts";
import type { EmGroup, EmUser, TenantState } from "../model.ts";
import { timeOfDay, toWindows } from "../time.ts";
import type { GraphContext, GraphRouter } from "./context.ts";
import { link } from "./context.ts";
import {
  applySelect,
  type Getter,
  parseFilter,
  parseSelect,
  parseTop,
  requireEventual,
  type Value,
} from "./odata.ts";

const DEFAULT_USER_FIELDS = [
  "businessPhones",
  "displayName",
  "givenName",
  "jobTitle",
  "mail",
  "mobilePhone",
  "officeLocation",
  "preferredLanguage",
  "surname",
  "userPrincipalName",
  "id",
];

export function userResource(u: EmUser): Record<string, unknown> {
  return {
    id: u.id,
    businessPhones: u.businessPhones,
    displayName: u.displayName,
    givenName: u.givenName,
    jobTitle: u.jobTitle,
    mail: u.mail,
    mobilePhone: u.mobilePhone,
    officeLocation: u.officeLocation,
    preferredLanguage: u.preferredLanguage,
    surname: u.surname,
    userPrincipalName: u.userPrincipalName,
    accountEnabled: u.accountEnabled,
    department: u.department,
    proxyAddresses: u.proxyAddresses,
    usageLocation: u.usageLocation,
    createdDateTime: u.createdDateTime,
    userType: "Member",
    mailNickname: u.mail.split("@")[0],
  };
}

function renderUser(u: EmUser, select: string[] | null): Record<string, unknown> {
  const full = userResource(u);
  if (!select) return applySelect(full, DEFAULT_USER_FIELDS);
  const out = applySelect(full, select);
  if (select.some((s) => s.toLowerCase() === "mailboxsettings")) out.mailboxSettings = mailboxSettings(u);
  return out;
}

export function mailboxSettings(u: EmUser): Record<string, unknown> {
  const zone = toWindows(u.timeZone);
  return {
    archiveFolder: null,
    timeZone: zone,
    delegateMeetingMessageDeliveryOptions: "sendToDelegateOnly",
    dateFormat: "yyyy-MM-dd",
    timeFormat: "HH:mm",
    userPurpose: u.kind === "room" ? "room" : "user",
    automaticRepliesSetting: {
      status: "disabled",
      externalAudience: "all",
      internalReplyMessage: "",
      externalReplyMessage: "",
    },
    language: {
      locale: u.preferredLanguage ?? "en-US",
      displayName: u.preferredLanguage ?? "English (United States)",
    },
    workingHours: {
      daysOfWeek: u.workingHours.daysOfWeek,
      startTime: timeOfDay(u.workingHours.startMinutes),
      endTime: timeOfDay(u.workingHours.endMinutes),
      timeZone: { name: zone },
    },
  };
}

function userGetter(u: EmUser): Getter {
  const r = userResource(u);
  return (path) => {
    const key = Object.keys(r).find((k) => k.toLowerCase() === path.toLowerCase());
    return key === undefined ? undefined : (r[key] as Value);
  };
}

function listUsers(tenant: TenantState): EmUser[] {
  const out: EmUser[] = [];
  for (const id of tenant.userOrder) {
    const u = tenant.users.get(id);
    if (u && u.kind === "user") out.push(u);
  }
  return out;
}

interface PageState {
  o: number;
  f?: string;
  s?: string;
  t: number;
  c?: boolean;
}

function pageUsersOrGroups<T>(
  ctx: GraphContext,
  req: GraphRequest,
  path: string,
  all: T[],
  getter: (item: T) => Getter,
  render: (item: T, select: string[] | null) => Record<string, unknown>,
): Record<string, unknown> {
  const skip = req.query.get("$skiptoken");
  let state: PageState;
  if (skip) {
    const decoded = decodeToken<PageState>(skip);
    if (!decoded || typeof decoded.o !== "number")
      throw new GraphError(
        400,
        "Directory_ExpiredPageToken",
        "The specified page token value has expired and can no longer be included in your request.",
      );
    state = decoded;
  } else {
    state = { o: 0, t: parseTop(req.query, 100, 999) };
    const f = req.query.get("$filter");
    if (f) state.f = f;
    const s = req.query.get("$select");
    if (s) state.s = s;
    const count = req.query.get("$count");
    if (count === "true") {
      requireEventual(req.headers, "$count");
      state.c = true;
    }
    if (req.query.get("$orderby")) requireEventual(req.headers, "$orderby");
    if (req.query.get("$search")) requireEventual(req.headers, "$search");
  }
  let items = all;
  if (state.f) {
    const filter = parseFilter(state.f);
    if (filter.advanced) requireEventual(req.headers, "This filter");
    items = items.filter((i) => filter.predicate(getter(i)));
  }
  const search = req.query.get("$search");
  if (search) {
    const m = /^"?(\w+):([^"]*)"?$/.exec(search.trim());
    if (!m)
      throw new GraphError(400, "Request_UnsupportedQuery", '$search must look like "displayName:value".');
    const [, prop = "", value = ""] = m;
    items = items.filter((i) => {
      const v = getter(i)(prop);
      return typeof v === "string" && v.toLowerCase().includes(value.toLowerCase());
    });
  }
  const select = state.s ? state.s.split(",").map((x) => x.trim()) : null;
  const page = items.slice(state.o, state.o + state.t);
  const body: Record<string, unknown> = {
    "@odata.context": `${ctx.graphBaseUrl}/$metadata#${path.slice(1)}`,
  };
  if (state.c) body["@odata.count"] = items.length;
  body.value = page.map((i) => render(i, select));
  if (state.o + state.t < items.length) {
    body["@odata.nextLink"] = link(ctx, path, {
      $skiptoken: encodeToken({ ...state, o: state.o + state.t }),
    });
  }
  return body;
}

function groupResource(g: EmGroup): Record<string, unknown> {
  return {
    id: g.id,
    displayName: g.displayName,
    description: g.description,
    mail: g.mail,
    mailEnabled: true,
    mailNickname: g.mailNickname,
    securityEnabled: false,
    groupTypes: ["Unified"],
    visibility: "Private",
  };
}

function groupGetter(g: EmGroup): Getter {
  const r = groupResource(g);
  return (path) => {
    const key = Object.keys(r).find((k) => k.toLowerCase() === path.toLowerCase());
    return key === undefined ? undefined : (r[key] as Value);
  };
}

function findGroup(tenant: TenantState, id: string): EmGroup {
  const g =
    tenant.groups.get(id) ??
    [...tenant.groups.values()].find((x) => x.mail.toLowerCase() === id.toLowerCase());
  if (!g) throw resourceNotFound(id);
  return g;
}

export function registerDirectory(router: GraphRouter): void {
  router.add("GET", "/users", (ctx, req, m) =>
    ok(pageUsersOrGroups(ctx, req, "/users", listUsers(m.tenant), userGetter, renderUser)),
  );

  router.add("GET", "/users/$count", (_ctx, req, m) => {
    requireEventual(req.headers, "$count");
    return {
      status: 200,
      headers: { "content-type": "text/plain" },
      body: String(listUsers(m.tenant).length),
    };
  });

  router.add("GET", "/users/delta", (ctx, req, m) => {
    const select = parseSelect(req.query);
    const scope = `${m.tenant.id}|users|${req.query.get("$select") ?? ""}`;
    const result = ctx.delta.page({
      scope,
      epoch: m.tenant.deltaEpoch,
      skipToken: req.query.get("$skiptoken"),
      deltaToken: req.query.get("$deltatoken"),
      pageSize: parseTop(req.query, 100, 999),
      current: () =>
        listUsers(m.tenant).map((u) => ({
          id: u.id,
          version: u.version,
          render: () => renderUser(u, select),
        })),
      removed: (id) => ({
        id,
        "@removed": { reason: m.tenant.deletedUsers.has(id) ? "changed" : "deleted" },
      }),
    });
    const body: Record<string, unknown> = {
      "@odata.context": `${ctx.graphBaseUrl}/$metadata#users`,
      value: result.value,
    };
    if (result.nextSkipToken)
      body["@odata.nextLink"] = link(ctx, "/users/delta", {
        $skiptoken: result.nextSkipToken,
        ...(req.query.get("$select") ? { $select: req.query.get("$select") ?? "" } : {}),
      });
    if (result.deltaToken)
      body["@odata.deltaLink"] = link(ctx, "/users/delta", {
        $deltatoken: result.deltaToken,
        ...(req.query.get("$select") ? { $select: req.query.get("$select") ?? "" } : {}),
      });
    return ok(body);
  });

  router.add("GET", "/users/:u", (ctx, req, m) => {
    const u = m.owner!;
    return ok({
      "@odata.context": `${ctx.graphBaseUrl}/$metadata#users/$entity`,
      ...renderUser(u, parseSelect(req.query)),
    });
  });

  router.add(
    "GET",
    "/users/:u/mailboxSettings",
    (ctx, _req, m) =>
      ok({
        "@odata.context": `${ctx.graphBaseUrl}/$metadata#users('${m.owner!.id}')/mailboxSettings`,
        ...mailboxSettings(m.owner!),
      }),
    { mailbox: true },
  );

  router.add(
    "GET",
    "/users/:u/mailboxSettings/:x",
    (_ctx, _req, m) => {
      const settings = mailboxSettings(m.owner!);
      const key = Object.keys(settings).find((k) => k.toLowerCase() === (m.params[1] ?? "").toLowerCase());
      if (!key) throw resourceNotFound(m.params[1] ?? "");
      const v = settings[key];
      return ok(typeof v === "object" && v !== null ? v : { value: v });
    },
    { mailbox: true },
  );

  router.add(
    "PATCH",
    "/users/:u/mailboxSettings",
    (_ctx, req, m) => {
      const body = asRecord(req.body);
      const u = m.owner!;
      const wh = body.workingHours as Record<string, unknown> | undefined;
      if (wh) {
        const parse = (t: unknown) => {
          const mm = typeof t === "string" ? /^(\d{2}):(\d{2})/.exec(t) : null;
          return mm ? Number(mm[1]) * 60 + Number(mm[2]) : undefined;
        };
        if (Array.isArray(wh.daysOfWeek))
          u.workingHours.daysOfWeek = wh.daysOfWeek as EmUser["workingHours"]["daysOfWeek"];
        u.workingHours.startMinutes = parse(wh.startTime) ?? u.workingHours.startMinutes;
        u.workingHours.endMinutes = parse(wh.endTime) ?? u.workingHours.endMinutes;
      }
      u.version += 1;
      return ok(mailboxSettings(u));
    },
    { mailbox: true },
  );

  router.add("GET", "/groups", (ctx, req, m) => {
    const groups = m.tenant.groupOrder.map((id) => m.tenant.groups.get(id)).filter((g): g is EmGroup => !!g);
    return ok(
      pageUsersOrGroups(ctx, req, "/groups", groups, groupGetter, (g, select) =>
        applySelect(groupResource(g), select),
      ),
    );
  });

  router.add("GET", "/groups/:x", (ctx, req, m) => {
    const g = findGroup(m.tenant, m.params[0] ?? "");
    return ok({
      "@odata.context": `${ctx.graphBaseUrl}/$metadata#groups/$entity`,
      ...applySelect(groupResource(g), parseSelect(req.query)),
    });
  });

  const members = (
    ctx: GraphContext,
    req: GraphRequest,
    tenant: TenantState,
    groupId: string,
    path: string,
  ) => {
    const g = findGroup(tenant, groupId);
    const users = g.memberIds.map((id) => tenant.users.get(id)).filter((u): u is EmUser => !!u);
    return ok(
      pageUsersOrGroups(ctx, req, path, users, userGetter, (u, select) => ({
        "@odata.type": "#microsoft.graph.user",
        ...renderUser(u, select),
      })),
    );
  };
  router.add("GET", "/groups/:x/members", (ctx, req, m) =>
    members(ctx, req, m.tenant, m.params[0] ?? "", `/groups/${m.params[0]}/members`),
  );
  router.add("GET", "/groups/:x/transitiveMembers", (ctx, req, m) =>
    members(ctx, req, m.tenant, m.params[0] ?? "", `/groups/${m.params[0]}/transitiveMembers`),
  );

  router.add("GET", "/places/microsoft.graph.room", (ctx, req, m) => {
    const rooms = m.tenant.userOrder
      .map((id) => m.tenant.users.get(id))
      .filter((u): u is EmUser => !!u && u.kind === "room");
    return ok(
      pageUsersOrGroups(
        ctx,
        req,
        "/places/microsoft.graph.room",
        rooms,
        (r) => (p) => roomResource(r)[p] as Value,
        (r, select) => applySelect(roomResource(r), select),
      ),
    );
  });
}

export function roomResource(r: EmUser): Record<string, unknown> {
  return {
    "@odata.type": "#microsoft.graph.room",
    id: r.id,
    emailAddress: r.mail,
    displayName: r.displayName,
    address: {
      street: "",
      city: r.room?.city ?? "",
      state: "",
      countryOrRegion: r.room?.countryOrRegion ?? "",
      postalCode: "",
    },
    geoCoordinates: null,
    phone: null,
    nickname: r.displayName,
    label: null,
    capacity: r.room?.capacity ?? 0,
    building: r.room?.building ?? null,
    floorLabel: null,
    floorNumber: r.room?.floorNumber ?? null,
    isWheelChairAccessible: true,
    bookingType: "standard",
    tags: [],
    audioDeviceName: null,
    videoDeviceName: "Teams Room",
    displayDeviceName: "Surface Hub",
  };
}
