/**
 * The Graph permissions each emulated endpoint needs (any one of the listed ones), checked against the
 * token's `roles` (application) or `scp` (delegated), as Graph does: a missing permission answers 403.
 */
import type { Principal } from "../http.ts";
import { GraphError } from "../http.ts";

interface Need {
  app: string[];
  delegated: string[];
  code: string;
}

const DIRECTORY = "Authorization_RequestDenied";
const MAILBOX = "ErrorAccessDenied";

export function requiredPermissions(method: string, path: string): Need | null {
  const p = path.toLowerCase();
  const write = method !== "GET";
  if (p.startsWith("/subscriptions") || p === "/$batch") return null;
  if (p.startsWith("/admin/teams/telephonenumbermanagement")) {
    return {
      app: write
        ? ["TeamsTelephoneNumber.ReadWrite.All"]
        : ["TeamsTelephoneNumber.Read.All", "TeamsTelephoneNumber.ReadWrite.All"],
      delegated: write
        ? ["TeamsTelephoneNumber.ReadWrite.All"]
        : ["TeamsTelephoneNumber.Read.All", "TeamsTelephoneNumber.ReadWrite.All"],
      code: DIRECTORY,
    };
  }
  if (p.startsWith("/groups")) {
    return {
      app: ["Group.Read.All", "GroupMember.Read.All", "Directory.Read.All"],
      delegated: ["Group.Read.All", "GroupMember.Read.All", "User.ReadBasic.All", "User.Read.All"],
      code: DIRECTORY,
    };
  }
  if (p.startsWith("/places"))
    return {
      app: ["Place.Read.All"],
      delegated: ["Place.Read.All", "User.ReadBasic.All", "User.Read.All"],
      code: MAILBOX,
    };
  const m = /^\/users\/[^/]+\/(.+)$/.exec(p);
  if (!m) {
    // /users, /users/{id}, /users/delta, /users/$count
    return {
      app: ["User.Read.All", "User.ReadWrite.All", "Directory.Read.All"],
      delegated: ["User.Read", "User.ReadBasic.All", "User.Read.All"],
      code: DIRECTORY,
    };
  }
  const rest = m[1] ?? "";
  if (rest.startsWith("mailboxsettings")) {
    return {
      app: write ? ["MailboxSettings.ReadWrite"] : ["MailboxSettings.Read", "MailboxSettings.ReadWrite"],
      delegated: write
        ? ["MailboxSettings.ReadWrite"]
        : ["MailboxSettings.Read", "MailboxSettings.ReadWrite"],
      code: MAILBOX,
    };
  }
  if (rest.startsWith("contact")) {
    return {
      app: write ? ["Contacts.ReadWrite"] : ["Contacts.Read", "Contacts.ReadWrite"],
      delegated: write ? ["Contacts.ReadWrite"] : ["Contacts.Read", "Contacts.ReadWrite"],
      code: MAILBOX,
    };
  }
  if (rest.startsWith("todo")) {
    return {
      app: write ? ["Tasks.ReadWrite.All"] : ["Tasks.Read.All", "Tasks.ReadWrite.All"],
      delegated: write ? ["Tasks.ReadWrite"] : ["Tasks.Read", "Tasks.ReadWrite"],
      code: MAILBOX,
    };
  }
  if (rest.startsWith("calendar") || rest.startsWith("events")) {
    const read = !write || rest.endsWith("getschedule");
    return read
      ? {
          app: ["Calendars.ReadBasic", "Calendars.Read", "Calendars.ReadWrite"],
          delegated: [
            "Calendars.ReadBasic",
            "Calendars.Read",
            "Calendars.ReadWrite",
            "Calendars.Read.Shared",
          ],
          code: MAILBOX,
        }
      : { app: ["Calendars.ReadWrite"], delegated: ["Calendars.ReadWrite"], code: MAILBOX };
  }
  return null;
}

export function checkPermissions(principal: Principal, method: string, path: string): void {
  if (principal.appId === "outlook") return; // the control API acting as the mailbox owner
  const need = requiredPermissions(method, path);
  if (!need) return;
  const delegated = principal.userId !== null;
  const have = delegated ? principal.scopes : principal.roles;
  const wanted = delegated ? need.delegated : need.app;
  if (wanted.some((w) => have.some((h) => h.toLowerCase() === w.toLowerCase()))) return;
  throw new GraphError(
    403,
    need.code,
    need.code === DIRECTORY
      ? "Insufficient privileges to complete the operation."
      : `Access is denied. Check credentials and try again. (needs one of: ${wanted.join(", ")})`,
  );
}
