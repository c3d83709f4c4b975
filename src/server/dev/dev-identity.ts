/**
 * The demo users the Teams dev host offers: the well-known people of the emulator's demo tenants (the
 * `DEMO` constants of the seed), labelled with their Quorum roles when the directory was imported.
 * Tokens come from the emulator's Entra, exactly as Teams SSO hands them to the tab.
 */
import { DEMO } from "../../emulator/seed.ts";
import type { Database } from "../../store/db.ts";
import { storedRoles } from "../../store/members.ts";
import type { DemoUser, DevIdentity } from "./dev-routes.ts";

export interface EmulatorSignIn {
  readonly tenants: readonly { id: string; name: string }[];
  signInToken(tenantId: string, user: string): Promise<string>;
}

interface Person {
  readonly id: string;
  readonly upn: string;
  readonly displayName: string;
}

function demoPeople(): { tenantId: string; tenantName: string; admin: Person; people: Person[] }[] {
  return [DEMO.contoso, DEMO.fabrikam].map((t) => ({
    tenantId: t.id,
    tenantName: t.name,
    admin: t.admin,
    people: [t.admin, ...Object.values(t.users)],
  }));
}

export function emulatorDevIdentity(emulator: EmulatorSignIn, database: Database): DevIdentity {
  return {
    async listUsers() {
      const running = new Set(emulator.tenants.map((t) => t.id));
      const users: DemoUser[] = [];
      for (const tenant of demoPeople()) {
        if (!running.has(tenant.tenantId)) continue;
        for (const p of tenant.people) {
          const roles = await storedRoles(database.db, tenant.tenantId, p.id);
          if (p.id === tenant.admin.id && !roles.includes("tenant admin")) roles.unshift("tenant admin");
          users.push({
            tenantId: tenant.tenantId,
            tenantName: tenant.tenantName,
            userId: p.id,
            upn: p.upn,
            displayName: p.displayName,
            roles,
          });
        }
      }
      return users;
    },
    signInToken: (tenantId, upn) => emulator.signInToken(tenantId, upn),
  };
}
