/**
 * Runs the real service (PGlite/PostgreSQL, Fastify, the Teams SDK at /api/messages) on 127.0.0.1 port 0
 * and talks to it as Teams does: Activities with Teams channel data in personal scope, replies captured
 * by a local Bot Connector given as `serviceUrl`.
 */
import { randomUUID } from "node:crypto";
import pino from "pino";
import { loadConfig } from "../../src/config.ts";
import type { Clock } from "../../src/core/clock.ts";
import { DEMO } from "../../src/emulator/seed.ts";
import type { Product } from "../../src/server/compose.ts";
import { members, tenants } from "../../src/store/schema.ts";
import { testClock } from "../support/clock.ts";
import { openTestDatabase, type TestDatabase } from "../support/database.ts";
import { listenProduct } from "../support/product.ts";
import { type LocalConnector, type SentActivity, startConnector } from "./connector.ts";

export const tenantId = DEMO.contoso.id;
export const botId = "28:6f1c2c52-7a43-4c39-9d1f-5d7c3ab1e0a1";

export interface TeamsUser {
  readonly id: string;
  readonly displayName: string;
  readonly upn: string;
  readonly mail: string;
  readonly timeZone: string;
}

export const people = {
  admin: DEMO.contoso.admin,
  ana: DEMO.contoso.users.ana,
  erik: DEMO.contoso.users.erik,
  claire: DEMO.contoso.users.claire,
  james: DEMO.contoso.users.james,
  lucas: DEMO.contoso.users.lucas,
  sofia: DEMO.contoso.users.sofia,
} as const satisfies Record<string, TeamsUser>;

export interface BotHarness extends BotChat {
  readonly product: Product;
  readonly database: TestDatabase;
  stop(): Promise<void>;
}

/** Imports the demo directory rows Quorum keeps for the tenant (what directory sync writes). */
export async function seedDirectory(database: TestDatabase): Promise<void> {
  await database.db.insert(tenants).values({
    tenantId,
    displayName: DEMO.contoso.name,
    status: "consented",
    ownerUserId: DEMO.contoso.admin.id,
  });
  const rows = Object.entries(people).map(([key, p], i) => ({
    tenantId,
    userId: p.id,
    upn: p.upn,
    displayName: p.displayName,
    mail: p.mail,
    timeZone: p.timeZone,
    roles: key === "admin" ? ["owner", "admin", "member"] : ["member"],
    directoryOrder: i,
  }));
  await database.db.insert(members).values(rows);
}

export interface BotChat {
  readonly connector: LocalConnector;
  /** Sends a message as `user` and returns the bot's replies to it. */
  say(user: TeamsUser, text: string, options?: { locale?: string; expect?: number }): Promise<SentActivity[]>;
  /** Sends any activity; returns the HTTP status and body of /api/messages. */
  post(activity: Record<string, unknown>): Promise<{ status: number; body: unknown }>;
  /** Clicks an Action.Execute button as `user`: an adaptiveCard/action invoke. */
  execute(
    user: TeamsUser,
    action: { verb: string; data: unknown },
    options?: { locale?: string },
  ): Promise<{
    status: number;
    body: { statusCode: number; type: string; value: Record<string, unknown> };
  }>;
  activity(user: TeamsUser, fields: Record<string, unknown>, locale?: string): Record<string, unknown>;
  conversationOf(user: TeamsUser): string;
}

/** Talks to the bot of the service at `serviceBaseUrl` as Teams does, replies captured by `connector`. */
export function botChat(
  serviceBaseUrl: string,
  connector: LocalConnector,
  tenant: string = tenantId,
): BotChat {
  const conversations = new Map<string, string>();
  const conversationOf = (user: TeamsUser) => {
    let id = conversations.get(user.id);
    if (!id) {
      id = `a:1${randomUUID().replace(/-/g, "")}`;
      conversations.set(user.id, id);
    }
    return id;
  };

  const activity = (user: TeamsUser, fields: Record<string, unknown>, locale = "en-US") => ({
    id: `in-${randomUUID()}`,
    channelId: "msteams",
    serviceUrl: connector.url,
    timestamp: new Date().toISOString(),
    locale,
    localTimezone: user.timeZone,
    from: { id: `29:${user.id}`, name: user.displayName, aadObjectId: user.id },
    recipient: { id: botId, name: "Quorum" },
    conversation: { id: conversationOf(user), conversationType: "personal", tenantId: tenant },
    channelData: { tenant: { id: tenant } },
    entities: [{ type: "clientInfo", locale, country: "US", platform: "Web", timezone: user.timeZone }],
    ...fields,
  });

  async function post(body: Record<string, unknown>) {
    const response = await fetch(`${serviceBaseUrl}/api/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  }

  return {
    connector,
    activity,
    conversationOf,
    post,
    async say(user, text, opts = {}) {
      const from = connector.sent.length;
      const res = await post(activity(user, { type: "message", text, textFormat: "plain" }, opts.locale));
      if (res.status !== 200)
        throw new Error(`POST /api/messages answered ${res.status}: ${JSON.stringify(res.body)}`);
      return connector.waitFor(conversationOf(user), opts.expect ?? 1, from);
    },
    async execute(user, action, opts = {}) {
      const res = await post(
        activity(
          user,
          {
            type: "invoke",
            name: "adaptiveCard/action",
            value: {
              action: { type: "Action.Execute", verb: action.verb, data: action.data },
              trigger: "manual",
            },
          },
          opts.locale,
        ),
      );
      return res as Awaited<ReturnType<BotChat["execute"]>>;
    },
  };
}

export async function startBotHarness(
  options: { clock?: Clock; env?: Record<string, string> } = {},
): Promise<BotHarness> {
  const connector = await startConnector();
  const database = await openTestDatabase();
  await seedDirectory(database);
  const config = loadConfig({
    M365_MODE: "emulator",
    PORT: "0",
    DEV_HOSTS: "false",
    LOG_LEVEL: "warn",
    // On PostgreSQL runs the job queue connects to the test's own database.
    ...(database.url ? { DATABASE_URL: database.url } : {}),
    ...options.env,
  });
  let product: Product;
  try {
    product = await listenProduct(config, {
      database,
      logger: pino({ level: "warn" }),
      clock: options.clock ?? testClock(),
    });
  } catch (error) {
    await database.close();
    await connector.close();
    throw error;
  }
  const chat = botChat(product.url, connector);
  return {
    ...chat,
    product,
    database,
    async stop() {
      await product.stop();
      await connector.close();
    },
  };
}

/** The Adaptive Card of a sent activity (throws when it has none). */
export function cardOf(activity: SentActivity): Record<string, unknown> {
  const attachment = activity.body.attachments?.[0];
  if (attachment?.contentType !== "application/vnd.microsoft.card.adaptive") {
    throw new Error(`expected an Adaptive Card, got ${JSON.stringify(activity.body)}`);
  }
  return attachment.content;
}

/** Every string in a card, in order (TextBlocks, facts, action titles). */
export function cardText(card: unknown): string {
  const out: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) for (const n of node) walk(n);
    else if (node && typeof node === "object") {
      const o = node as Record<string, unknown>;
      for (const key of ["text", "title", "value"])
        if (typeof o[key] === "string") out.push(o[key] as string);
      for (const [k, v] of Object.entries(o)) if (k !== "data" && typeof v === "object") walk(v);
    }
  };
  walk(card);
  return out.join("\n");
}

/** The Action.Execute buttons of a card with their verb, title and data. */
export function actionsOf(card: unknown): { verb: string; title: string; data: unknown }[] {
  const out: { verb: string; title: string; data: unknown }[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) for (const n of node) walk(n);
    else if (node && typeof node === "object") {
      const o = node as Record<string, unknown>;
      if (o.type === "Action.Execute")
        out.push({ verb: String(o.verb), title: String(o.title), data: o.data });
      for (const v of Object.values(o)) if (typeof v === "object") walk(v);
    }
  };
  walk(card);
  return out;
}
