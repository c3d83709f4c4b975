/**
 * The directory through Graph: `/users/delta` with `$select` paged to the end (the last page carries the
 * delta link to replay next round), `/groups` and `/groups/{id}/members`. Pages are yielded as they
 * arrive, never collected, so memory is bounded by one page.
 */
import { z } from "zod";
import {
  DeltaExpiredError,
  type DirectoryChange,
  type DirectoryGroup,
  type DirectoryPage,
  type DirectorySource,
} from "../core/directory/sync.ts";
import { ianaZone } from "./calendars.ts";
import { GraphError } from "./errors.ts";
import type { GraphGateway } from "./gateway.ts";

export const directoryUserFields = [
  "id",
  "displayName",
  "mail",
  "userPrincipalName",
  "proxyAddresses",
  "accountEnabled",
  "department",
  "usageLocation",
  "jobTitle",
] as const;

const removedSchema = z.object({
  id: z.string().min(1),
  "@removed": z.object({ reason: z.string() }),
});

const userSchema = z.object({
  id: z.string().min(1),
  displayName: z.string().nullish(),
  mail: z.string().nullish(),
  userPrincipalName: z.string().min(1),
  proxyAddresses: z.array(z.string()).nullish(),
  accountEnabled: z.boolean().nullish(),
  department: z.string().nullish(),
  usageLocation: z.string().nullish(),
  jobTitle: z.string().nullish(),
});

const groupSchema = z.object({
  id: z.string().min(1),
  displayName: z.string().nullish(),
  mail: z.string().nullish(),
});
const memberSchema = z.object({ id: z.string().min(1), "@odata.type": z.string().optional() });

/** Turns one `/users/delta` item into a change; validation failures name the item. */
export function toDirectoryChange(item: unknown): DirectoryChange {
  const removed = removedSchema.safeParse(item);
  if (removed.success) {
    // "changed": soft-deleted (restorable); "deleted": permanently deleted.
    return {
      type: "removed",
      userId: removed.data.id,
      permanent: removed.data["@removed"].reason === "deleted",
    };
  }
  const u = userSchema.parse(item);
  return {
    type: "user",
    user: {
      userId: u.id,
      displayName: u.displayName ?? "",
      mail: u.mail ?? null,
      upn: u.userPrincipalName,
      proxyAddresses: u.proxyAddresses ?? [],
      accountEnabled: u.accountEnabled ?? true,
      department: u.department ?? null,
      jobTitle: u.jobTitle ?? null,
      usageLocation: u.usageLocation ?? null,
    },
  };
}

const mailboxZoneSchema = z.object({ timeZone: z.string().nullish() });

/** Graph answers for a user without an Exchange Online mailbox: the user has no mailbox zone. */
const noMailbox = new Set(["MailboxNotEnabledForRESTAPI", "ErrorItemNotFound", "ResourceNotFound"]);

/**
 * The IANA zone of each changed user's mailbox (`/users/{id}/mailboxSettings`), four at a time: the
 * members' zones the bot falls back to. The country picks among the zones of a Windows zone.
 */
async function withMailboxZones(
  graph: GraphGateway,
  tenantId: string,
  changes: DirectoryChange[],
): Promise<DirectoryChange[]> {
  const api = graph.forTenant(tenantId);
  const out = [...changes];
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < out.length; i = next++) {
      const c = out[i]!;
      if (c.type !== "user" || !c.user.mail || !c.user.accountEnabled) continue;
      let timeZone: string | null = null;
      try {
        const raw = await api.get<unknown>(
          `/users/${encodeURIComponent(c.user.userId)}/mailboxSettings?$select=timeZone`,
        );
        timeZone = ianaZone(mailboxZoneSchema.parse(raw).timeZone, c.user.usageLocation);
      } catch (error) {
        if (!(error instanceof GraphError && (error.status === 404 || noMailbox.has(error.code ?? ""))))
          throw error;
      }
      out[i] = { type: "user", user: { ...c.user, timeZone } };
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  return out;
}

export function graphDirectorySource(graph: GraphGateway, tenantId: string): DirectorySource {
  return {
    async *userChanges(deltaLink: string | null): AsyncIterable<DirectoryPage> {
      const start = deltaLink ?? `/users/delta?$select=${directoryUserFields.join(",")}`;
      try {
        for await (const page of graph.pages<unknown>(tenantId, start)) {
          yield {
            changes: await withMailboxZones(graph, tenantId, page.value.map(toDirectoryChange)),
            ...(page.deltaLink ? { deltaLink: page.deltaLink } : {}),
          };
        }
      } catch (error) {
        if (
          deltaLink !== null &&
          error instanceof GraphError &&
          (error.status === 410 || error.code === "syncStateNotFound" || error.code === "resyncRequired")
        ) {
          throw new DeltaExpiredError(`The directory delta link expired (${error.status} ${error.code}).`, {
            cause: error,
          });
        }
        throw error;
      }
    },

    async *groups(): AsyncIterable<DirectoryGroup> {
      for await (const page of graph.pages<unknown>(
        tenantId,
        "/groups?$select=id,displayName,mail&$top=999",
      )) {
        for (const item of page.value) {
          const g = groupSchema.parse(item);
          const memberIds: string[] = [];
          for await (const mp of graph.pages<unknown>(
            tenantId,
            `/groups/${encodeURIComponent(g.id)}/members?$select=id&$top=999`,
          )) {
            for (const m of mp.value) {
              const parsed = memberSchema.parse(m);
              if (!parsed["@odata.type"] || parsed["@odata.type"] === "#microsoft.graph.user")
                memberIds.push(parsed.id);
            }
          }
          yield { groupId: g.id, displayName: g.displayName ?? "", mail: g.mail ?? null, memberIds };
        }
      }
    },
  };
}
