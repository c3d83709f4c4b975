/** Writing a member's Quorum roles: the one place roles change, always with its audit entry. */
import { and, eq } from "drizzle-orm";
import type { Db } from "./db.ts";
import { auditLog, members } from "./schema.ts";

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

/** Stores `next` as the member's roles (inside the caller's transaction) and audits the change. */
export async function writeRoles(
  tx: Tx,
  change: {
    tenantId: string;
    userId: string;
    before: readonly string[];
    next: readonly string[];
    actorUserId: string;
    at: Date;
    reason?: string;
  },
): Promise<void> {
  const { tenantId, userId, at } = change;
  await tx
    .update(members)
    .set({ roles: [...change.next], updatedAt: at })
    .where(and(eq(members.tenantId, tenantId), eq(members.userId, userId)));
  await tx.insert(auditLog).values({
    tenantId,
    actorUserId: change.actorUserId,
    action: "role.changed",
    targetType: "member",
    targetId: userId,
    before: { roles: change.before },
    after: { roles: change.next },
    ...(change.reason ? { reason: change.reason } : {}),
    at,
  });
}
