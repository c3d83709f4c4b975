/** `GET /api/directory/search?q=`: type-ahead over the caller's tenant directory. */
import { z } from "zod";

export const directorySearchQuery = z.object({
  q: z.string().trim().min(1, "type at least one character").max(100),
  limit: z.coerce.number().int().min(1).max(25).default(10),
});
export type DirectorySearchQuery = z.infer<typeof directorySearchQuery>;

export const directoryPerson = z.object({
  userId: z.string(),
  upn: z.string(),
  displayName: z.string(),
  mail: z.string().nullable(),
  jobTitle: z.string().nullable(),
  department: z.string().nullable(),
});
export type DirectoryPerson = z.infer<typeof directoryPerson>;

export const directorySearchResponse = z.object({ people: z.array(directoryPerson) });
export type DirectorySearchResponse = z.infer<typeof directorySearchResponse>;

/** `GET /api/me/seats`: the seats the caller holds. */
export const mySeatsResponse = z.object({
  seats: z.array(
    z.object({
      kind: z.enum(["calling", "sync"]),
      /** active | pending | failed | suspended */
      state: z.string(),
      phoneNumber: z.string().nullable(),
    }),
  ),
});
export type MySeatsResponse = z.infer<typeof mySeatsResponse>;

/** `GET /api/directory/callers`: colleagues holding an active calling seat, with a Teams call deep link. */
export const callersResponse = z.object({
  people: z.array(
    z.object({
      userId: z.string(),
      displayName: z.string(),
      upn: z.string(),
      phoneNumber: z.string().nullable(),
      callLink: z.string(),
    }),
  ),
});
export type CallersResponse = z.infer<typeof callersResponse>;

/** A meeting room from the tenant's places (`GET /api/rooms`). `email` is what availability and bookings take. */
export const room = z.object({
  email: z.string(),
  displayName: z.string(),
  capacity: z.number().int().nullable(),
  building: z.string().nullable(),
  floorNumber: z.number().int().nullable(),
  city: z.string().nullable(),
  isWheelChairAccessible: z.boolean().nullable(),
});
export type Room = z.infer<typeof room>;

export const roomsQuery = z.object({
  /** Matches the start of the room's name, building or e-mail, or of a word in its name. */
  q: z.string().trim().max(100).optional(),
  /** Rooms seating at least this many people. */
  minCapacity: z.coerce.number().int().min(1).max(10_000).optional(),
});
export const roomsResponse = z.object({ rooms: z.array(room) });
export type RoomsResponse = z.infer<typeof roomsResponse>;

/**
 * `GET /api/me/mailbox-settings`: the caller's Outlook mailbox settings that the UI must honour: the time
 * zone (IANA, converted from the mailbox's Windows zone) and working hours. Views show times in this zone,
 * not the browser's.
 */
export const mailboxSettingsResponse = z.object({
  /** IANA zone, e.g. "Europe/Stockholm". */
  timeZone: z.string(),
  /** The zone as the mailbox names it, e.g. "W. Europe Standard Time". */
  mailboxTimeZone: z.string().nullable(),
  workingHours: z
    .object({
      daysOfWeek: z.array(z.string()),
      /** "08:00" */
      startTime: z.string(),
      endTime: z.string(),
      timeZone: z.string(),
    })
    .nullable(),
  /** The mailbox language, e.g. "pt-BR". */
  locale: z.string().nullable(),
});
export type MailboxSettingsResponse = z.infer<typeof mailboxSettingsResponse>;

/** `GET /api/admin/groups?q=`: Entra groups as the last directory import saw them, with member counts. */
export const groupsQuery = z.object({
  q: z.string().trim().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});
export const directoryGroup = z.object({
  groupId: z.string(),
  displayName: z.string(),
  mail: z.string().nullable(),
  memberCount: z.number().int(),
});
export type DirectoryGroup = z.infer<typeof directoryGroup>;
export const groupsResponse = z.object({ groups: z.array(directoryGroup) });
export type GroupsResponse = z.infer<typeof groupsResponse>;

export const roleName = z.enum(["owner", "admin", "scheduler", "member"]);
export type RoleName = z.infer<typeof roleName>;

/**
 * `GET /api/admin/members`: everyone the directory import brought in, with Quorum roles and seats, for the
 * admin's users table. Filter by text, role and seat; paged by offset.
 */
export const membersQuery = z.object({
  q: z.string().trim().max(100).optional(),
  role: roleName.optional(),
  /** "calling" or "sync": holds that seat; "none": holds no seat. */
  seat: z.enum(["calling", "sync", "none"]).optional(),
  /** Disabled accounts (leavers, room and resource mailboxes) are left out unless they hold a seat. */
  includeDisabled: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true"),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export interface MembersQuery {
  q?: string;
  role?: RoleName;
  seat?: "calling" | "sync" | "none";
  includeDisabled?: boolean;
  offset?: number;
  limit?: number;
}
export const memberSeat = z.object({
  /** active | pending | failed | suspended */
  state: z.string(),
  phoneNumber: z.string().nullable(),
});
export const memberRow = directoryPerson.extend({
  accountEnabled: z.boolean(),
  roles: z.array(roleName),
  seats: z.object({ calling: memberSeat.nullable(), sync: memberSeat.nullable() }),
});
export type MemberRow = z.infer<typeof memberRow>;
export const membersResponse = z.object({
  members: z.array(memberRow),
  total: z.number().int(),
  offset: z.number().int(),
  limit: z.number().int(),
});
export type MembersResponse = z.infer<typeof membersResponse>;

/** "member" is always kept; only an owner grants or removes "owner", and the last owner stays. */
export const setRolesRequest = z.object({ roles: z.array(roleName).max(4) }).strict();
export const setRolesResponse = z.object({ userId: z.string(), roles: z.array(roleName) });
