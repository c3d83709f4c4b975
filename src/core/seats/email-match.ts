/**
 * Matching e-mail addresses to directory users: case-insensitive over `mail`, `userPrincipalName` and every
 * `smtp:` proxy address. An address that leads to more than one user is ambiguous and reported, never guessed.
 */
import type { DirectoryUser } from "./types.ts";

export type MatchedBy = "mail" | "userPrincipalName" | "proxyAddress";

export type EmailMatch =
  | { readonly kind: "matched"; readonly user: DirectoryUser; readonly by: MatchedBy }
  | { readonly kind: "ambiguous"; readonly users: readonly DirectoryUser[] }
  | { readonly kind: "none" };

/** Looks e-mail addresses up in the directory; implemented in memory and by the store. */
export interface DirectoryLookup {
  /** Resolves each address (any case) to its match. */
  resolve(emails: readonly string[]): Promise<Map<string, EmailMatch>>;
  /** The user with this id, if the directory has them. */
  user(userId: string): Promise<DirectoryUser | undefined>;
}

export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const isEmail = (value: string): boolean => EMAIL.test(value.trim());

/** The SMTP addresses of a proxy address list (primary `SMTP:` and alias `smtp:` alike). */
export function smtpAddresses(proxyAddresses: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of proxyAddresses) {
    if (p.length > 5 && p.slice(0, 5).toLowerCase() === "smtp:") out.push(normalizeEmail(p.slice(5)));
  }
  return out;
}

interface Entry {
  readonly user: DirectoryUser;
  readonly by: MatchedBy;
}

const strength: Record<MatchedBy, number> = { mail: 0, userPrincipalName: 1, proxyAddress: 2 };

/** An in-memory index of the directory by every address a user answers to. */
export class EmailIndex implements DirectoryLookup {
  readonly #byAddress = new Map<string, Entry[]>();
  readonly #byId = new Map<string, DirectoryUser>();

  constructor(users: Iterable<DirectoryUser> = []) {
    for (const user of users) this.add(user);
  }

  add(user: DirectoryUser): void {
    this.#byId.set(user.userId, user);
    const seen = new Map<string, MatchedBy>();
    const note = (address: string | null, by: MatchedBy) => {
      if (!address) return;
      const key = normalizeEmail(address);
      const had = seen.get(key);
      if (had === undefined || strength[by] < strength[had]) seen.set(key, by);
    };
    note(user.mail, "mail");
    note(user.upn, "userPrincipalName");
    for (const address of smtpAddresses(user.proxyAddresses)) note(address, "proxyAddress");
    for (const [key, by] of seen) {
      const list = this.#byAddress.get(key);
      if (list) list.push({ user, by });
      else this.#byAddress.set(key, [{ user, by }]);
    }
  }

  match(email: string): EmailMatch {
    const entries = this.#byAddress.get(normalizeEmail(email));
    if (!entries || entries.length === 0) return { kind: "none" };
    if (entries.length === 1) {
      const only = entries[0]!;
      return { kind: "matched", user: only.user, by: only.by };
    }
    return { kind: "ambiguous", users: entries.map((e) => e.user) };
  }

  async user(userId: string): Promise<DirectoryUser | undefined> {
    return this.#byId.get(userId);
  }

  async resolve(emails: readonly string[]): Promise<Map<string, EmailMatch>> {
    const out = new Map<string, EmailMatch>();
    for (const email of emails) out.set(normalizeEmail(email), this.match(email));
    return out;
  }
}

export function describeMatch(by: MatchedBy): string {
  switch (by) {
    case "mail":
      return "matched by mail";
    case "userPrincipalName":
      return "matched by user principal name";
    case "proxyAddress":
      return "matched by proxy address";
  }
}
