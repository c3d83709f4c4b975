/** The msal-node token cache partitions of each tenant, stored encrypted (the identity layer encrypts). */
import { and, eq } from "drizzle-orm";
import type { Db } from "./db.ts";
import { tokenCache } from "./schema.ts";

export async function readTokenCache(
  db: Db,
  tenantId: string,
  partition: string,
): Promise<string | undefined> {
  const [row] = await db
    .select({ ciphertext: tokenCache.ciphertext })
    .from(tokenCache)
    .where(and(eq(tokenCache.tenantId, tenantId), eq(tokenCache.partitionKey, partition)))
    .limit(1);
  return row?.ciphertext;
}

export async function writeTokenCache(
  db: Db,
  tenantId: string,
  partition: string,
  ciphertext: string,
  at: Date,
) {
  await db
    .insert(tokenCache)
    .values({ tenantId, partitionKey: partition, ciphertext, updatedAt: at })
    .onConflictDoUpdate({
      target: [tokenCache.tenantId, tokenCache.partitionKey],
      set: { ciphertext, updatedAt: at },
    });
}
