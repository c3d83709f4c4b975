/**
 * Outlook contacts (folders, contacts, delta with $select) and Microsoft To Do (lists, tasks, delta).
 * PATCH and DELETE honour `If-Match` against the item's `@odata.etag`.
 */
import { asRecord, badRequest, checkIfMatch, type GraphRequest, noContent, notFound, ok } from "../http.ts";
import type { EmContact, EmTask, EmTodoList, EmUser, MailboxData, TenantState } from "../model.ts";
import { itemIdFrom } from "../seed-random.ts";
import type { EmulatorState } from "../state.ts";
import { parseDateTimeTimeZone, preferredPageSize, toDateTimeTimeZone } from "../time.ts";
import { type GraphContext, type GraphRouter, iso, link, type RouteMatch } from "./context.ts";
import { changeKeyOf } from "./event-render.ts";
import { applySelect, parseSelect } from "./odata.ts";

function contactResource(c: EmContact): Record<string, unknown> {
  const ck = changeKeyOf(c.version);
  return {
    "@odata.etag": `W/"${ck}"`,
    id: c.id,
    createdDateTime: iso(c.createdAt),
    lastModifiedDateTime: iso(c.modifiedAt),
    changeKey: ck,
    categories: [],
    parentFolderId: c.folderId,
    birthday: null,
    fileAs: "",
    displayName: c.displayName,
    givenName: c.givenName,
    initials: null,
    middleName: null,
    nickName: null,
    surname: c.surname,
    title: null,
    generation: null,
    imAddresses: [],
    jobTitle: c.jobTitle,
    companyName: c.companyName,
    department: null,
    officeLocation: null,
    profession: null,
    businessHomePage: null,
    assistantName: null,
    manager: null,
    homePhones: [],
    mobilePhone: c.mobilePhone,
    businessPhones: c.businessPhones,
    spouseName: null,
    personalNotes: "",
    children: [],
    emailAddresses: c.emailAddresses,
    homeAddress: {},
    businessAddress: {},
    otherAddress: {},
  };
}

function taskResource(t: EmTask): Record<string, unknown> {
  return {
    "@odata.etag": `W/"${changeKeyOf(t.version)}"`,
    importance: t.importance,
    isReminderOn: false,
    status: t.status,
    title: t.title,
    createdDateTime: iso(t.createdAt),
    lastModifiedDateTime: iso(t.modifiedAt),
    hasAttachments: false,
    categories: [],
    id: t.id,
    body: t.body,
    ...(t.dueUtc !== null ? { dueDateTime: toDateTimeTimeZone(t.dueUtc, "UTC") } : {}),
  };
}

function listResource(l: EmTodoList): Record<string, unknown> {
  return {
    "@odata.etag": `W/"${changeKeyOf(1)}"`,
    displayName: l.displayName,
    isOwner: l.isOwner,
    isShared: l.isShared,
    wellknownListName: l.wellknownListName,
    id: l.id,
  };
}

function page<T>(
  ctx: GraphContext,
  req: GraphRequest,
  items: T[],
  render: (t: T) => Record<string, unknown>,
): Record<string, unknown> {
  const top = Number(req.query.get("$top") ?? 10);
  const skip = Number(req.query.get("$skip") ?? 0);
  if (!Number.isInteger(top) || top < 1 || top > 1000 || !Number.isInteger(skip) || skip < 0)
    throw badRequest("Invalid $top or $skip.", "ErrorInvalidParameter");
  const select = parseSelect(req.query);
  const body: Record<string, unknown> = {
    value: items.slice(skip, skip + top).map((i) => applySelect(render(i), select)),
  };
  if (skip + top < items.length) {
    const params: Record<string, string> = {};
    for (const [k, v] of req.query) params[k] = v;
    params.$skip = String(skip + top);
    body["@odata.nextLink"] = link(ctx, req.path, params);
  }
  return body;
}

/**
 * A page of a delta round over the items `current` lists (`scope` names the collection, mailbox and
 * container), with its nextLink or deltaLink keeping `$select`.
 */
function itemsDelta<T extends { id: string; version: number }>(
  ctx: GraphContext,
  req: GraphRequest,
  tenant: TenantState,
  scope: string,
  current: () => T[],
  render: (item: T) => Record<string, unknown>,
) {
  const result = ctx.delta.page({
    scope,
    epoch: tenant.deltaEpoch,
    skipToken: req.query.get("$skiptoken"),
    deltaToken: req.query.get("$deltatoken"),
    pageSize: Math.min(preferredPageSize(req.headers.prefer) ?? 100, 1000),
    current: () => current().map((i) => ({ id: i.id, version: i.version, render: () => render(i) })),
    removed: (id) => ({ id, "@removed": { reason: "deleted" } }),
  });
  const body: Record<string, unknown> = { value: result.value };
  const select = req.query.get("$select");
  const extra: Record<string, string> = select ? { $select: select } : {};
  if (result.nextSkipToken)
    body["@odata.nextLink"] = link(ctx, req.path, { ...extra, $skiptoken: result.nextSkipToken });
  if (result.deltaToken)
    body["@odata.deltaLink"] = link(ctx, req.path, { ...extra, $deltatoken: result.deltaToken });
  return ok(body);
}

export class PeopleService {
  constructor(private readonly state: EmulatorState) {}

  /** Marks an item changed now (a new version, so a new change key) and tells subscribers. */
  updated(
    tenant: TenantState,
    owner: EmUser,
    collection: "contacts" | "tasks",
    containerId: string,
    item: { id: string; version: number; modifiedAt: number },
  ): void {
    item.version = this.state.nextVersion();
    item.modifiedAt = this.state.clock.now();
    this.emit(tenant, owner, collection, containerId, item.id, "updated");
  }

  emit(
    tenant: TenantState,
    owner: EmUser,
    collection: "contacts" | "tasks",
    containerId: string,
    id: string,
    changeType: "created" | "updated" | "deleted",
  ): void {
    const resource =
      collection === "contacts"
        ? `Users/${owner.id}/Contacts/${id}`
        : `Users/${owner.id}/todo/lists/${containerId}/tasks/${id}`;
    this.state.emit({
      tenantId: tenant.id,
      resource,
      collection,
      mailboxId: owner.id,
      containerId,
      itemId: id,
      changeType,
    });
  }
}

/** Refuses a write whose `If-Match` names an older version of the item (412). */
function ifMatch(req: GraphRequest, item: { version: number }): void {
  checkIfMatch(req.headers, `W/"${changeKeyOf(item.version)}"`);
}

function folderOf(box: MailboxData, id: string | undefined): string {
  if (id === undefined) return box.contactFolders[0]!.id;
  const f = box.contactFolders.find((x) => x.id === id);
  if (!f) throw notFound();
  return f.id;
}

function listOf(box: MailboxData, id: string): EmTodoList {
  const l = box.todoLists.find((x) => x.id === id);
  if (!l) throw notFound("The requested list was not found.", "ErrorItemNotFound");
  return l;
}

export function registerContactsAndTodo(router: GraphRouter, people: PeopleService): void {
  const box = (ctx: GraphContext, m: RouteMatch) => ctx.state.mailbox(m.tenant, m.owner!);

  // Contacts
  router.add("GET", "/users/:u/contactFolders", (ctx, _req, m) => ok({ value: box(ctx, m).contactFolders }), {
    mailbox: true,
  });
  const listContacts = (
    ctx: GraphContext,
    req: GraphRequest,
    m: RouteMatch,
    folderId: string | undefined,
  ) => {
    const b = box(ctx, m);
    const f = folderOf(b, folderId);
    const items = [...b.contacts.values()]
      .filter((c) => c.folderId === f)
      .sort((a, c) => a.displayName.localeCompare(c.displayName));
    return ok(page(ctx, req, items, contactResource));
  };
  const createContact = (
    ctx: GraphContext,
    req: GraphRequest,
    m: RouteMatch,
    folderId: string | undefined,
  ) => {
    const b = box(ctx, m);
    const body = asRecord(req.body);
    const now = ctx.state.clock.now();
    const version = ctx.state.nextVersion();
    const given = typeof body.givenName === "string" ? body.givenName : "";
    const surname = typeof body.surname === "string" ? body.surname : "";
    const emails = Array.isArray(body.emailAddresses)
      ? (body.emailAddresses as { name?: string; address?: string }[])
      : [];
    const c: EmContact = {
      id: itemIdFrom("Con", `${m.owner!.id}:${version}`),
      folderId: folderOf(b, folderId),
      givenName: given,
      surname,
      displayName: typeof body.displayName === "string" ? body.displayName : `${given} ${surname}`.trim(),
      emailAddresses: emails
        .filter((e) => e.address)
        .map((e) => ({ name: e.name ?? e.address ?? "", address: e.address ?? "" })),
      businessPhones: Array.isArray(body.businessPhones) ? (body.businessPhones as string[]) : [],
      mobilePhone: typeof body.mobilePhone === "string" ? body.mobilePhone : null,
      companyName: typeof body.companyName === "string" ? body.companyName : null,
      jobTitle: typeof body.jobTitle === "string" ? body.jobTitle : null,
      createdAt: now,
      modifiedAt: now,
      version,
    };
    if (!c.displayName) throw badRequest("A contact needs a name.", "ErrorInvalidRequest");
    b.contacts.set(c.id, c);
    people.emit(m.tenant, m.owner!, "contacts", c.folderId, c.id, "created");
    return ok(contactResource(c), 201);
  };
  router.add("GET", "/users/:u/contacts", (ctx, req, m) => listContacts(ctx, req, m, undefined), {
    mailbox: true,
  });
  router.add(
    "GET",
    "/users/:u/contactFolders/:x/contacts",
    (ctx, req, m) => listContacts(ctx, req, m, m.params[1]),
    { mailbox: true },
  );
  router.add("POST", "/users/:u/contacts", (ctx, req, m) => createContact(ctx, req, m, undefined), {
    mailbox: true,
  });
  router.add(
    "POST",
    "/users/:u/contactFolders/:x/contacts",
    (ctx, req, m) => createContact(ctx, req, m, m.params[1]),
    { mailbox: true },
  );
  const contactsDelta = (
    ctx: GraphContext,
    req: GraphRequest,
    m: RouteMatch,
    folderId: string | undefined,
  ) => {
    const b = box(ctx, m);
    const f = folderOf(b, folderId);
    const select = parseSelect(req.query);
    return itemsDelta(
      ctx,
      req,
      m.tenant,
      `${m.tenant.id}|contacts|${m.owner!.id}|${f}|${req.query.get("$select") ?? ""}`,
      () => [...b.contacts.values()].filter((c) => c.folderId === f),
      (c) => applySelect(contactResource(c), select),
    );
  };
  router.add("GET", "/users/:u/contacts/delta", (ctx, req, m) => contactsDelta(ctx, req, m, undefined), {
    mailbox: true,
  });
  router.add(
    "GET",
    "/users/:u/contactFolders/:x/contacts/delta",
    (ctx, req, m) => contactsDelta(ctx, req, m, m.params[1]),
    { mailbox: true },
  );
  const contactById = (b: MailboxData, id: string) => {
    const c = b.contacts.get(id);
    if (!c) throw notFound();
    return c;
  };
  router.add(
    "GET",
    "/users/:u/contacts/:x",
    (ctx, req, m) =>
      ok(applySelect(contactResource(contactById(box(ctx, m), m.params[1] ?? "")), parseSelect(req.query))),
    { mailbox: true },
  );
  router.add(
    "PATCH",
    "/users/:u/contacts/:x",
    (ctx, req, m) => {
      const c = contactById(box(ctx, m), m.params[1] ?? "");
      ifMatch(req, c);
      const body = asRecord(req.body);
      for (const key of [
        "givenName",
        "surname",
        "displayName",
        "companyName",
        "jobTitle",
        "mobilePhone",
      ] as const) {
        if (typeof body[key] === "string") (c as unknown as Record<string, unknown>)[key] = body[key];
      }
      if (Array.isArray(body.emailAddresses))
        c.emailAddresses = (body.emailAddresses as { name?: string; address: string }[]).map((e) => ({
          name: e.name ?? e.address,
          address: e.address,
        }));
      people.updated(m.tenant, m.owner!, "contacts", c.folderId, c);
      return ok(contactResource(c));
    },
    { mailbox: true },
  );
  router.add(
    "DELETE",
    "/users/:u/contacts/:x",
    (ctx, req, m) => {
      const b = box(ctx, m);
      const c = contactById(b, m.params[1] ?? "");
      ifMatch(req, c);
      b.contacts.delete(c.id);
      b.deleted.set(c.id, ctx.state.clock.now());
      people.emit(m.tenant, m.owner!, "contacts", c.folderId, c.id, "deleted");
      return noContent();
    },
    { mailbox: true },
  );

  // To Do
  router.add(
    "GET",
    "/users/:u/todo/lists",
    (ctx, _req, m) => ok({ value: box(ctx, m).todoLists.map(listResource) }),
    { mailbox: true },
  );
  router.add(
    "POST",
    "/users/:u/todo/lists",
    (ctx, req, m) => {
      const body = asRecord(req.body);
      if (typeof body.displayName !== "string" || !body.displayName)
        throw badRequest("displayName is required.", "invalidRequest");
      const l: EmTodoList = {
        id: itemIdFrom("List", `${m.owner!.id}:${ctx.state.nextVersion()}`),
        displayName: body.displayName,
        isOwner: true,
        isShared: false,
        wellknownListName: "none",
      };
      box(ctx, m).todoLists.push(l);
      return ok(listResource(l), 201);
    },
    { mailbox: true },
  );
  router.add(
    "GET",
    "/users/:u/todo/lists/:x/tasks",
    (ctx, req, m) => {
      const b = box(ctx, m);
      const l = listOf(b, m.params[1] ?? "");
      return ok(
        page(
          ctx,
          req,
          [...b.tasks.values()].filter((t) => t.listId === l.id),
          taskResource,
        ),
      );
    },
    { mailbox: true },
  );
  router.add(
    "POST",
    "/users/:u/todo/lists/:x/tasks",
    (ctx, req, m) => {
      const b = box(ctx, m);
      const l = listOf(b, m.params[1] ?? "");
      const body = asRecord(req.body);
      if (typeof body.title !== "string" || !body.title)
        throw badRequest("title is required.", "invalidRequest");
      const now = ctx.state.clock.now();
      const version = ctx.state.nextVersion();
      const due = body.dueDateTime
        ? parseDateTimeTimeZone(body.dueDateTime as { dateTime?: unknown; timeZone?: unknown })
        : undefined;
      const t: EmTask = {
        id: itemIdFrom("Task", `${m.owner!.id}:${version}`),
        listId: l.id,
        title: body.title,
        status: (body.status as EmTask["status"]) ?? "notStarted",
        importance: (body.importance as EmTask["importance"]) ?? "normal",
        body: {
          content: (body.body as { content?: string } | undefined)?.content ?? "",
          contentType: "text",
        },
        dueUtc: due ?? null,
        dueZone: "UTC",
        createdAt: now,
        modifiedAt: now,
        version,
      };
      b.tasks.set(t.id, t);
      people.emit(m.tenant, m.owner!, "tasks", l.id, t.id, "created");
      return ok(taskResource(t), 201);
    },
    { mailbox: true },
  );
  router.add(
    "GET",
    "/users/:u/todo/lists/:x/tasks/delta",
    (ctx, req, m) => {
      const b = box(ctx, m);
      const l = listOf(b, m.params[1] ?? "");
      return itemsDelta(
        ctx,
        req,
        m.tenant,
        `${m.tenant.id}|tasks|${m.owner!.id}|${l.id}`,
        () => [...b.tasks.values()].filter((t) => t.listId === l.id),
        taskResource,
      );
    },
    { mailbox: true },
  );
  const taskById = (b: MailboxData, listId: string, id: string) => {
    const t = b.tasks.get(id);
    if (!t || t.listId !== listId) throw notFound();
    return t;
  };
  router.add(
    "GET",
    "/users/:u/todo/lists/:x/tasks/:x",
    (ctx, _req, m) => ok(taskResource(taskById(box(ctx, m), m.params[1] ?? "", m.params[2] ?? ""))),
    { mailbox: true },
  );
  router.add(
    "PATCH",
    "/users/:u/todo/lists/:x/tasks/:x",
    (ctx, req, m) => {
      const t = taskById(box(ctx, m), m.params[1] ?? "", m.params[2] ?? "");
      ifMatch(req, t);
      const body = asRecord(req.body);
      if (typeof body.title === "string") t.title = body.title;
      if (typeof body.status === "string") t.status = body.status as EmTask["status"];
      if (typeof body.importance === "string") t.importance = body.importance as EmTask["importance"];
      people.updated(m.tenant, m.owner!, "tasks", t.listId, t);
      return ok(taskResource(t));
    },
    { mailbox: true },
  );
  router.add(
    "DELETE",
    "/users/:u/todo/lists/:x/tasks/:x",
    (ctx, req, m) => {
      const b = box(ctx, m);
      const t = taskById(b, m.params[1] ?? "", m.params[2] ?? "");
      ifMatch(req, t);
      b.tasks.delete(t.id);
      people.emit(m.tenant, m.owner!, "tasks", t.listId, t.id, "deleted");
      return noContent();
    },
    { mailbox: true },
  );
}
