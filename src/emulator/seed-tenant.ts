import type { EmGroup, EmUser, PhoneNumber, RecurrencePattern, TenantState } from "./model.ts";
import { prng } from "./seed-random.ts";

/** A meeting shared by several mailboxes: the organizer holds the event; attendees hold copies. */
export interface SharedMeeting {
  key: string;
  organizerId: string;
  attendeeIds: string[];
  roomId: string | null;
  subject: string;
  zone: string;
  /** Local start (minutes after midnight) and duration. */
  startMinutes: number;
  durationMinutes: number;
  pattern: RecurrencePattern;
  /** First occurrence date (local, as wall ms of midnight). */
  firstDayWall: number;
  online: boolean;
  /** Local dates (wall ms of midnight) of a moved (+60 min) and a cancelled occurrence. */
  movedDayWall: number | null;
  cancelledDayWall: number | null;
}

/** Seed-level description of a tenant; `createTenantState` turns it into live state. */
export interface TenantRecipe {
  id: string;
  name: string;
  domain: string;
  adminUpn: string;
  seed: string;
  anchor: number;
  users: EmUser[];
  groups: EmGroup[];
  shared: SharedMeeting[];
  /** userId -> indexes into `shared` the user attends (organizer or attendee, rooms included). */
  sharedByMailbox: Map<string, number[]>;
  phoneNumbers: PhoneNumber[];
}

export interface RecipeOptions {
  seed: string;
  /** Monday 00:00 UTC of the demo week. */
  anchor: number;
  usersPerTenant?: number;
}

export function finishRecipe(
  base: Omit<TenantRecipe, "users" | "groups" | "shared" | "sharedByMailbox" | "phoneNumbers">,
  users: EmUser[],
  groups: EmGroup[],
  shared: SharedMeeting[],
  phoneNumbers: PhoneNumber[],
): TenantRecipe {
  const sharedByMailbox = new Map<string, number[]>();
  shared.forEach((m, index) => {
    for (const id of [m.organizerId, ...m.attendeeIds, ...(m.roomId ? [m.roomId] : [])]) {
      const list = sharedByMailbox.get(id) ?? [];
      list.push(index);
      sharedByMailbox.set(id, list);
    }
  });
  return { ...base, users, groups, shared, sharedByMailbox, phoneNumbers };
}

export function phonePool(seed: string, tenant: string, prefixes: string[]): PhoneNumber[] {
  const rnd = prng(`${seed}:${tenant}:phones`);
  const out: PhoneNumber[] = [];
  const cities: Record<string, [string, string]> = {
    "+4684": ["Stockholm", "SE"],
    "+3314": ["Paris", "FR"],
    "+1212": ["New York", "US"],
    "+5511": ["São Paulo", "BR"],
    "+1646": ["New York", "US"],
  };
  for (const prefix of prefixes) {
    const [city, iso] = cities[prefix] ?? ["", ""];
    for (let i = 0; i < 10; i++) {
      const digits = String(Math.floor(rnd() * 1e7)).padStart(7, "0");
      out.push({
        telephoneNumber: `${prefix}${digits}`,
        numberType: i % 2 === 0 ? "callingPlan" : "directRouting",
        city,
        isoCountryCode: iso,
        assignmentTargetId: null,
        assignmentCategory: null,
        assignmentStatus: "unassigned",
      });
    }
  }
  return out;
}

/** Live tenant state from a recipe (mailboxes are generated on first access). */
export function createTenantState(recipe: TenantRecipe): TenantState {
  const users = new Map<string, EmUser>();
  const byAddress = new Map<string, string>();
  const userOrder: string[] = [];
  // Recipes are built afresh for every state (start, reset), so their objects become the live state.
  for (const u of recipe.users) {
    users.set(u.id, u);
    userOrder.push(u.id);
    indexAddresses(byAddress, u);
  }
  const groups = new Map<string, EmGroup>();
  for (const g of recipe.groups) groups.set(g.id, g);
  return {
    id: recipe.id,
    name: recipe.name,
    domain: recipe.domain,
    users,
    byAddress,
    userOrder,
    groups,
    groupOrder: recipe.groups.map((g) => g.id),
    mailboxes: new Map(),
    phoneNumbers: recipe.phoneNumbers,
    operations: new Map(),
    consent: {
      granted: false,
      grantedAt: null,
      revokedAt: null,
      grantedBy: null,
      generation: 1,
      permissions: null,
    },
    deletedUsers: new Map(),
    deltaEpoch: 1,
  };
}

export function indexAddresses(byAddress: Map<string, string>, u: EmUser): void {
  byAddress.set(u.mail.toLowerCase(), u.id);
  byAddress.set(u.userPrincipalName.toLowerCase(), u.id);
  for (const p of u.proxyAddresses) byAddress.set(p.replace(/^smtp:/i, "").toLowerCase(), u.id);
}
