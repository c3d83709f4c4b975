/** Where to reach a person proactively in Teams (the bot's conversation references), and whom to reach. */
import { and, eq } from "drizzle-orm";
import type { Clock } from "../core/clock.ts";
import type { Database } from "./db.ts";
import { adminIds, timeZoneOf } from "./members.ts";
import { conversationRefs } from "./schema.ts";

export interface StoredConversation {
  readonly tenantId: string;
  readonly userId: string;
  readonly conversationId: string;
  readonly serviceUrl: string;
  readonly reference: Record<string, unknown>;
  readonly locale: string | null;
}

export interface ConversationStore {
  save(ref: StoredConversation): Promise<void>;
  get(tenantId: string, userId: string): Promise<StoredConversation | undefined>;
  /** Owners and admins (or only owners) of a tenant, for admin notifications. */
  adminIds(tenantId: string, only?: "owner"): Promise<string[]>;
  /** Zone of a member for formatting notifications. */
  timeZoneOf(tenantId: string, userId: string): Promise<string | null>;
}

export function createConversationStore(database: Database, clock: Clock): ConversationStore {
  const { db } = database;
  return {
    async save(ref) {
      const values = { ...ref, updatedAt: new Date(clock.now()) };
      await db
        .insert(conversationRefs)
        .values(values)
        .onConflictDoUpdate({
          target: [conversationRefs.tenantId, conversationRefs.userId],
          set: {
            conversationId: values.conversationId,
            serviceUrl: values.serviceUrl,
            reference: values.reference,
            locale: values.locale,
            updatedAt: values.updatedAt,
          },
        });
    },
    async get(tenantId, userId) {
      const [r] = await db
        .select()
        .from(conversationRefs)
        .where(and(eq(conversationRefs.tenantId, tenantId), eq(conversationRefs.userId, userId)));
      return r
        ? {
            tenantId: r.tenantId,
            userId: r.userId,
            conversationId: r.conversationId,
            serviceUrl: r.serviceUrl,
            reference: r.reference as Record<string, unknown>,
            locale: r.locale,
          }
        : undefined;
    },
    adminIds: (tenantId, only) => adminIds(db, tenantId, only),
    timeZoneOf: (tenantId, userId) => timeZoneOf(db, tenantId, userId),
  };
}
