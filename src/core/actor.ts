/** Who is acting: taken from a validated token, never from a request body or URL. */
export const roles = ["owner", "admin", "scheduler", "member"] as const;
export type Role = (typeof roles)[number];

export interface Actor {
  /** Entra tenant id (`tid`). Every store query is scoped by it. */
  readonly tenantId: string;
  /** Entra object id (`oid`). */
  readonly userId: string;
  readonly upn: string;
  readonly displayName: string;
  /** Quorum roles of the user in the tenant (empty when the user is not yet a member). */
  readonly roles: readonly Role[];
}

export const isAdmin = (actor: Actor): boolean =>
  actor.roles.includes("owner") || actor.roles.includes("admin");
