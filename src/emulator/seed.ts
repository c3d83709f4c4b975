/**
 * The demo tenant recipe. Tenant ids and well-known people are fixed constants (tests name them through
 * `DEMO`); everything else is derived deterministically from the seed string and an anchor week (Monday
 * 00:00 UTC of the injected clock's week), so demos look alive and tests are reproducible.
 *
 * Contoso (demo): ~40 people in America/Sao_Paulo, Europe/Stockholm, Europe/Paris and America/New_York,
 * an admin (Global Administrator), 4 rooms, groups Sales / SDRs / Support. Fabrikam (demo): smaller.
 * `usersPerTenant` scales Contoso's recipe (10,000+ users for benchmarks); mailboxes (calendars,
 * contacts, To Do) are generated lazily on first access.
 */
import { createHash } from "node:crypto";
import type {
  Attendee,
  EmCalendar,
  EmContact,
  EmEvent,
  EmGroup,
  EmTask,
  EmUser,
  MailboxData,
  PhoneNumber,
  RecurrencePattern,
  TenantState,
  WorkingHours,
} from "./model.ts";
import { DAY, HOUR, isoDate, MINUTE, toWindows, type Weekday, wallToUtc } from "./time.ts";

type Zone = "America/Sao_Paulo" | "Europe/Stockholm" | "Europe/Paris" | "America/New_York";

const WORK: Record<Zone, WorkingHours> = {
  "America/Sao_Paulo": { daysOfWeek: weekdays(), startMinutes: 9 * 60, endMinutes: 18 * 60 },
  "Europe/Stockholm": { daysOfWeek: weekdays(), startMinutes: 8 * 60, endMinutes: 17 * 60 },
  "Europe/Paris": { daysOfWeek: weekdays(), startMinutes: 9 * 60, endMinutes: 18 * 60 },
  "America/New_York": { daysOfWeek: weekdays(), startMinutes: 9 * 60, endMinutes: 17 * 60 },
};

function weekdays(): Weekday[] {
  return ["monday", "tuesday", "wednesday", "thursday", "friday"];
}

/** Fixed identities of the demo tenants. */
export const DEMO = {
  contoso: {
    id: "3c8f6b2e-1d4a-4f7b-9a25-6e0c1b7d8a41",
    name: "Contoso (demo)",
    domain: "contoso.com",
    admin: {
      id: "a0d1c7e2-5b3f-4c8a-9e61-2f4b7d0c9a10",
      upn: "admin@contoso.com",
      mail: "admin@contoso.com",
      displayName: "Megan Bowen",
      timeZone: "Europe/Stockholm",
    },
    users: {
      ana: {
        id: "b1e2d3c4-0a5b-4c6d-8e7f-1a2b3c4d5e01",
        upn: "ana.souza@contoso.com",
        mail: "ana.souza@contoso.com",
        displayName: "Ana Souza",
        timeZone: "America/Sao_Paulo",
      },
      erik: {
        id: "b1e2d3c4-0a5b-4c6d-8e7f-1a2b3c4d5e02",
        upn: "erik.lindqvist@contoso.com",
        mail: "erik.lindqvist@contoso.com",
        displayName: "Erik Lindqvist",
        timeZone: "Europe/Stockholm",
      },
      claire: {
        id: "b1e2d3c4-0a5b-4c6d-8e7f-1a2b3c4d5e03",
        // Sign-in name differs from the primary SMTP address on purpose (match on mail, UPN and proxies).
        upn: "claire.dubois@contoso.onmicrosoft.com",
        mail: "claire.dubois@contoso.com",
        displayName: "Claire Dubois",
        timeZone: "Europe/Paris",
      },
      james: {
        id: "b1e2d3c4-0a5b-4c6d-8e7f-1a2b3c4d5e04",
        upn: "james.carter@contoso.com",
        mail: "james.carter@contoso.com",
        displayName: "James Carter",
        timeZone: "America/New_York",
      },
      lucas: {
        id: "b1e2d3c4-0a5b-4c6d-8e7f-1a2b3c4d5e05",
        upn: "lucas.oliveira@contoso.com",
        mail: "lucas.oliveira@contoso.com",
        displayName: "Lucas Oliveira",
        timeZone: "America/Sao_Paulo",
      },
      sofia: {
        id: "b1e2d3c4-0a5b-4c6d-8e7f-1a2b3c4d5e06",
        upn: "sofia.berg@contoso.com",
        mail: "sofia.berg@contoso.com",
        displayName: "Sofia Berg",
        timeZone: "Europe/Stockholm",
      },
    },
    rooms: {
      aurora: {
        id: "c2f3e4d5-1b6c-4d7e-9f80-2b3c4d5e6f01",
        mail: "aurora@contoso.com",
        displayName: "Aurora (Stockholm)",
        timeZone: "Europe/Stockholm",
        capacity: 8,
      },
      ipanema: {
        id: "c2f3e4d5-1b6c-4d7e-9f80-2b3c4d5e6f02",
        mail: "ipanema@contoso.com",
        displayName: "Ipanema (São Paulo)",
        timeZone: "America/Sao_Paulo",
        capacity: 6,
      },
      montmartre: {
        id: "c2f3e4d5-1b6c-4d7e-9f80-2b3c4d5e6f03",
        mail: "montmartre@contoso.com",
        displayName: "Montmartre (Paris)",
        timeZone: "Europe/Paris",
        capacity: 10,
      },
      hudson: {
        id: "c2f3e4d5-1b6c-4d7e-9f80-2b3c4d5e6f04",
        mail: "hudson@contoso.com",
        displayName: "Hudson (New York)",
        timeZone: "America/New_York",
        capacity: 12,
      },
    },
    groups: {
      sales: { id: "d3a4b5c6-2c7d-4e8f-a091-3c4d5e6f7001", displayName: "Sales", mail: "sales@contoso.com" },
      sdrs: { id: "d3a4b5c6-2c7d-4e8f-a091-3c4d5e6f7002", displayName: "SDRs", mail: "sdrs@contoso.com" },
      support: {
        id: "d3a4b5c6-2c7d-4e8f-a091-3c4d5e6f7003",
        displayName: "Support",
        mail: "support@contoso.com",
      },
    },
    /** A licensed user without an Exchange Online mailbox (calendar calls fail with MailboxNotEnabledForRESTAPI). */
    noMailbox: {
      id: "b1e2d3c4-0a5b-4c6d-8e7f-1a2b3c4d5e09",
      upn: "kiosk@contoso.com",
      mail: "kiosk@contoso.com",
      displayName: "Reception Kiosk",
      timeZone: "Europe/Stockholm",
    },
    /** A disabled account (accountEnabled false). */
    disabled: {
      id: "b1e2d3c4-0a5b-4c6d-8e7f-1a2b3c4d5e10",
      upn: "former.employee@contoso.com",
      mail: "former.employee@contoso.com",
      displayName: "Former Employee",
      timeZone: "Europe/Paris",
    },
  },
  fabrikam: {
    id: "8e5d2a17-4f3c-4b9e-8d60-7a1f2c3b4d52",
    name: "Fabrikam (demo)",
    domain: "fabrikam.com",
    admin: {
      id: "e4b5c6d7-3d8e-4f90-b1a2-4d5e6f708101",
      upn: "admin@fabrikam.com",
      mail: "admin@fabrikam.com",
      displayName: "Fabrikam Admin",
      timeZone: "America/New_York",
    },
    users: {
      hana: {
        id: "e4b5c6d7-3d8e-4f90-b1a2-4d5e6f708102",
        upn: "hana.novak@fabrikam.com",
        mail: "hana.novak@fabrikam.com",
        displayName: "Hana Novak",
        timeZone: "Europe/Paris",
      },
      tom: {
        id: "e4b5c6d7-3d8e-4f90-b1a2-4d5e6f708103",
        upn: "tom.reed@fabrikam.com",
        mail: "tom.reed@fabrikam.com",
        displayName: "Tom Reed",
        timeZone: "America/New_York",
      },
    },
    rooms: {
      harbor: {
        id: "f5c6d7e8-4e9f-4a01-b2c3-5e6f70819201",
        mail: "harbor@fabrikam.com",
        displayName: "Harbor",
        timeZone: "America/New_York",
        capacity: 6,
      },
    },
  },
} as const;

/**
 * The demo calendars' designed facts, as day offsets from the demo week's Monday (00:00 of the week the
 * clock is in): Erik Lindqvist is out of office all day on Tuesday and Wednesday of the next week. That is
 * the only all-day absence a well-known demo person (`DEMO`) has: generated ones fall on other people,
 * so a demo or a test never finds Ana, Erik, Claire … unavailable by chance.
 */
export const DEMO_WEEK = {
  erikOutOfOffice: { firstDay: 8, lastDay: 9 },
} as const;

const wellKnownIds: ReadonlySet<string> = new Set(
  [DEMO.contoso, DEMO.fabrikam].flatMap((t) => [t.admin.id, ...Object.values(t.users).map((u) => u.id)]),
);

/** Number of Contoso people in the default recipe (including the admin). */
export const CONTOSO_DEFAULT_USERS = 40;
export const FABRIKAM_USERS = 8;

// ---------------------------------------------------------------------------------------------------------
// Deterministic randomness

export function hashString(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

export function prng(seed: string): () => number {
  let a = hashString(seed);
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A GUID derived from text (stable across runs). */
export function guidFrom(text: string): string {
  const h = createHash("sha1").update(text).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((Number.parseInt(h[16] ?? "8", 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** An Outlook-looking opaque item id derived from text. */
export function itemIdFrom(prefix: string, text: string): string {
  return `AAMk${prefix}${createHash("sha1").update(text).digest("base64url")}`;
}

const FIRST = [
  "Olivia",
  "Liam",
  "Emma",
  "Noah",
  "Maja",
  "Elias",
  "Camille",
  "Louis",
  "Beatriz",
  "Gabriel",
  "Ingrid",
  "Oskar",
  "Chloé",
  "Hugo",
  "Mariana",
  "Rafael",
  "Astrid",
  "Axel",
  "Léa",
  "Jules",
  "Isabela",
  "Pedro",
  "Freja",
  "Nils",
  "Manon",
  "Arthur",
  "Larissa",
  "Thiago",
  "Ebba",
  "Viktor",
  "Inès",
  "Théo",
  "Ava",
  "Ethan",
  "Mia",
  "Lucas",
];
const LAST = [
  "Almeida",
  "Andersson",
  "Bernard",
  "Brown",
  "Costa",
  "Dubois",
  "Eriksson",
  "Ferreira",
  "Garcia",
  "Johansson",
  "Lambert",
  "Lopes",
  "Martin",
  "Miller",
  "Nilsson",
  "Pereira",
  "Petit",
  "Ribeiro",
  "Robert",
  "Santos",
  "Svensson",
  "Thomas",
  "Walker",
  "Wilson",
];
const ZONES: Zone[] = ["America/Sao_Paulo", "Europe/Stockholm", "Europe/Paris", "America/New_York"];
const CITY: Record<Zone, { city: string; country: string; office: string; lang: string; phone: string }> = {
  "America/Sao_Paulo": {
    city: "São Paulo",
    country: "BR",
    office: "São Paulo",
    lang: "pt-BR",
    phone: "+55 11 4000",
  },
  "Europe/Stockholm": {
    city: "Stockholm",
    country: "SE",
    office: "Stockholm",
    lang: "sv-SE",
    phone: "+46 8 5000",
  },
  "Europe/Paris": { city: "Paris", country: "FR", office: "Paris", lang: "fr-FR", phone: "+33 1 7000" },
  "America/New_York": {
    city: "New York",
    country: "US",
    office: "New York",
    lang: "en-US",
    phone: "+1 212 555",
  },
};
const TITLES = [
  "Account Executive",
  "Sales Development Rep",
  "Support Engineer",
  "Solutions Consultant",
  "Customer Success Manager",
];

function slug(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ".")
    .replace(/^\.|\.$/g, "");
}

interface PersonSpec {
  id: string;
  displayName: string;
  upn: string;
  mail: string;
  timeZone: Zone;
  roles?: string[];
  hasMailbox?: boolean;
  accountEnabled?: boolean;
  department?: string;
  jobTitle?: string;
}

function makeUser(p: PersonSpec, index: number, createdAt: number): EmUser {
  const [given, ...rest] = p.displayName.split(" ");
  const info = CITY[p.timeZone];
  const proxy = [`SMTP:${p.mail}`];
  if (p.upn.toLowerCase() !== p.mail.toLowerCase()) proxy.push(`smtp:${p.upn}`);
  const alias = p.mail.split("@")[0]?.split(".")[0];
  if (alias && p.mail.includes(".")) proxy.push(`smtp:${alias}@${p.mail.split("@")[1]}`);
  return {
    id: p.id,
    kind: "user",
    displayName: p.displayName,
    givenName: given ?? null,
    surname: rest.join(" ") || null,
    mail: p.mail,
    userPrincipalName: p.upn,
    proxyAddresses: proxy,
    jobTitle: p.jobTitle ?? TITLES[index % TITLES.length] ?? null,
    department: p.department ?? null,
    officeLocation: info.office,
    preferredLanguage: info.lang,
    mobilePhone: null,
    businessPhones: [`${info.phone} ${String(1000 + (index % 9000)).padStart(4, "0")}`],
    accountEnabled: p.accountEnabled ?? true,
    usageLocation: info.country,
    timeZone: p.timeZone,
    workingHours: structuredClone(WORK[p.timeZone]),
    directoryRoles: p.roles ?? [],
    hasMailbox: p.hasMailbox ?? true,
    createdDateTime: new Date(createdAt - (index + 30) * DAY).toISOString().replace(/\.\d{3}Z$/, "Z"),
    version: 1,
  };
}

function makeRoom(
  r: { id: string; mail: string; displayName: string; timeZone: string; capacity: number },
  createdAt: number,
): EmUser {
  const zone = r.timeZone as Zone;
  const info = CITY[zone];
  return {
    id: r.id,
    kind: "room",
    displayName: r.displayName,
    givenName: null,
    surname: null,
    mail: r.mail,
    userPrincipalName: r.mail,
    proxyAddresses: [`SMTP:${r.mail}`],
    jobTitle: null,
    department: null,
    officeLocation: info.office,
    preferredLanguage: info.lang,
    mobilePhone: null,
    businessPhones: [],
    accountEnabled: false,
    usageLocation: info.country,
    timeZone: zone,
    workingHours: { daysOfWeek: weekdays(), startMinutes: 7 * 60, endMinutes: 20 * 60 },
    directoryRoles: [],
    hasMailbox: true,
    createdDateTime: new Date(createdAt - 400 * DAY).toISOString().replace(/\.\d{3}Z$/, "Z"),
    room: {
      capacity: r.capacity,
      building: `${info.office} HQ`,
      floorNumber: 3,
      city: info.city,
      countryOrRegion: info.country,
    },
    version: 1,
  };
}

/** A meeting shared by several mailboxes: the organizer holds the event; attendees hold copies. */
interface SharedMeeting {
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

/** Monday of the week containing `anchor` in wall terms; all demo series start 26 weeks earlier. */
const HISTORY_WEEKS = 26;

export function contosoRecipe(options: RecipeOptions): TenantRecipe {
  const c = DEMO.contoso;
  const total = Math.max(options.usersPerTenant ?? CONTOSO_DEFAULT_USERS, 12);
  const rnd = prng(`${options.seed}:contoso:people`);
  const specs: PersonSpec[] = [
    { ...c.admin, roles: ["Global Administrator"], department: "IT", jobTitle: "IT Administrator" },
    { ...c.users.ana, department: "Sales", jobTitle: "Sales Manager" },
    { ...c.users.erik, department: "Sales", jobTitle: "Account Executive" },
    { ...c.users.claire, department: "Support", jobTitle: "Support Lead" },
    { ...c.users.james, department: "Sales", jobTitle: "SDR Team Lead" },
    { ...c.users.lucas, department: "Sales", jobTitle: "Sales Development Rep" },
    { ...c.users.sofia, department: "Support", jobTitle: "Support Engineer" },
    { ...c.noMailbox, hasMailbox: false, department: "Facilities", jobTitle: "Kiosk" },
    { ...c.disabled, accountEnabled: false, department: "Sales" },
  ];
  const used = new Set(specs.map((s) => s.mail));
  for (let i = specs.length; i < total; i++) {
    const first = FIRST[Math.floor(rnd() * FIRST.length)] ?? "Alex";
    const last = LAST[Math.floor(rnd() * LAST.length)] ?? "Smith";
    let mail = `${slug(first)}.${slug(last)}@${c.domain}`;
    if (used.has(mail)) mail = `${slug(first)}.${slug(last)}${i}@${c.domain}`;
    used.add(mail);
    const zone = ZONES[i % ZONES.length] ?? "Europe/Paris";
    const dept = i % 3 === 0 ? "Support" : i % 3 === 1 ? "Sales" : "Sales";
    specs.push({
      id: guidFrom(`${options.seed}:contoso:user:${i}`),
      displayName: `${first} ${last}`,
      upn: mail,
      mail,
      timeZone: zone,
      department: dept,
      jobTitle:
        dept === "Support" ? "Support Engineer" : i % 2 === 0 ? "Sales Development Rep" : "Account Executive",
    });
  }
  const users = specs.map((s, i) => makeUser(s, i, options.anchor));
  users.push(...Object.values(c.rooms).map((r) => makeRoom(r, options.anchor)));

  const specById = new Map(specs.map((s) => [s.id, s]));
  const people = specs.filter((s) => s.hasMailbox !== false && s.accountEnabled !== false);
  const sales = people.filter((s) => s.department === "Sales").map((s) => s.id);
  const sdrs = people
    .filter((s) => s.jobTitle === "Sales Development Rep" || s.jobTitle === "SDR Team Lead")
    .map((s) => s.id);
  const support = people.filter((s) => s.department === "Support").map((s) => s.id);
  const groups: EmGroup[] = [
    {
      ...c.groups.sales,
      description: "Everyone selling Contoso",
      mailNickname: "sales",
      memberIds: sales,
      version: 1,
    },
    {
      ...c.groups.sdrs,
      description: "Sales development reps",
      mailNickname: "sdrs",
      memberIds: sdrs,
      version: 1,
    },
    {
      ...c.groups.support,
      description: "Customer support",
      mailNickname: "support",
      memberIds: support,
      version: 1,
    },
  ];

  const anchorWall = options.anchor;
  const seriesStart = anchorWall - HISTORY_WEEKS * 7 * DAY;
  const shared: SharedMeeting[] = [];
  // Team stand-ups: teams of up to 8, organised by the first member, weekdays at 09:15 in the organizer's zone.
  const teamSource: { name: string; ids: string[] }[] = [
    { name: "Sales", ids: sales },
    { name: "Support", ids: support },
  ];
  const roomIds = Object.values(c.rooms).map((r) => r.id);
  for (const team of teamSource) {
    for (let t = 0; t * 8 < team.ids.length; t++) {
      const ids = team.ids.slice(t * 8, t * 8 + 8);
      const organizerId = ids[0];
      if (!organizerId || ids.length < 2) continue;
      const organizer = specById.get(organizerId);
      const zone = organizer?.timeZone ?? "Europe/Paris";
      shared.push({
        key: `standup:${team.name}:${t}`,
        organizerId,
        attendeeIds: ids.slice(1),
        roomId: null,
        subject: `${team.name} stand-up${t > 0 ? ` ${t + 1}` : ""}`,
        zone,
        startMinutes: 9 * 60 + 15,
        durationMinutes: 15,
        pattern: { type: "weekly", interval: 1, daysOfWeek: weekdays(), firstDayOfWeek: "monday" },
        firstDayWall: seriesStart,
        online: true,
        movedDayWall: anchorWall + 1 * DAY, // Tuesday of the demo week moves one hour later
        cancelledDayWall: anchorWall + 3 * DAY, // Thursday of the demo week is cancelled
      });
      // Weekly team meeting in a room on Wednesdays.
      shared.push({
        key: `weekly:${team.name}:${t}`,
        organizerId,
        attendeeIds: ids.slice(1),
        roomId: roomIds[t % roomIds.length] ?? null,
        subject: `${team.name} weekly${t > 0 ? ` ${t + 1}` : ""}`,
        zone,
        startMinutes: 14 * 60,
        durationMinutes: 60,
        pattern: { type: "weekly", interval: 1, daysOfWeek: ["wednesday"], firstDayOfWeek: "monday" },
        firstDayWall: seriesStart + 2 * DAY,
        online: false,
        movedDayWall: null,
        cancelledDayWall: null,
      });
    }
  }
  // Monthly all-hands on the first Tuesday, organised by the admin (attendees capped for large tenants).
  shared.push({
    key: "allhands",
    organizerId: c.admin.id,
    attendeeIds: people.slice(1, 60).map((p) => p.id),
    roomId: c.rooms.aurora.id,
    subject: "Contoso all-hands",
    zone: "Europe/Stockholm",
    startMinutes: 16 * 60,
    durationMinutes: 60,
    pattern: { type: "relativeMonthly", interval: 1, daysOfWeek: ["tuesday"], index: "first" },
    firstDayWall: seriesStart,
    online: true,
    movedDayWall: null,
    cancelledDayWall: null,
  });
  // Daily check-in for the SDRs (daily pattern every day of the week, 20 minutes).
  if (sdrs.length >= 2 && sdrs[0]) {
    shared.push({
      key: "sdr-daily",
      organizerId: c.users.james.id,
      attendeeIds: sdrs.filter((id) => id !== c.users.james.id).slice(0, 20),
      roomId: null,
      subject: "SDR pipeline check-in",
      zone: "America/New_York",
      startMinutes: 11 * 60,
      durationMinutes: 20,
      pattern: { type: "daily", interval: 1 },
      firstDayWall: seriesStart,
      online: true,
      movedDayWall: null,
      cancelledDayWall: anchorWall + 5 * DAY,
    });
  }
  return finishRecipe(
    {
      id: c.id,
      name: c.name,
      domain: c.domain,
      adminUpn: c.admin.upn,
      seed: options.seed,
      anchor: options.anchor,
    },
    users,
    groups,
    shared,
    phonePool(options.seed, "contoso", ["+4684", "+3314", "+1212", "+5511"]),
  );
}

export function fabrikamRecipe(options: RecipeOptions): TenantRecipe {
  const f = DEMO.fabrikam;
  const rnd = prng(`${options.seed}:fabrikam:people`);
  const specs: PersonSpec[] = [
    { ...f.admin, roles: ["Global Administrator"], department: "IT", jobTitle: "IT Administrator" },
    { ...f.users.hana, department: "Sales" },
    { ...f.users.tom, department: "Sales" },
  ];
  for (let i = specs.length; i < FABRIKAM_USERS; i++) {
    const first = FIRST[Math.floor(rnd() * FIRST.length)] ?? "Sam";
    const last = LAST[Math.floor(rnd() * LAST.length)] ?? "Lee";
    const mail = `${slug(first)}.${slug(last)}${i}@${f.domain}`;
    specs.push({
      id: guidFrom(`${options.seed}:fabrikam:user:${i}`),
      displayName: `${first} ${last}`,
      upn: mail,
      mail,
      timeZone: ZONES[i % 4] ?? "America/New_York",
      department: "Sales",
    });
  }
  const users = specs.map((s, i) => makeUser(s, i, options.anchor));
  users.push(makeRoom(f.rooms.harbor, options.anchor));
  const groups: EmGroup[] = [
    {
      id: guidFrom(`fabrikam:group:sales`),
      displayName: "Sales",
      description: "Fabrikam sales",
      mail: "sales@fabrikam.com",
      mailNickname: "sales",
      memberIds: specs.slice(1).map((s) => s.id),
      version: 1,
    },
  ];
  const shared: SharedMeeting[] = [
    {
      key: "standup:fabrikam",
      organizerId: f.users.tom.id,
      attendeeIds: specs.filter((s) => s.id !== f.users.tom.id).map((s) => s.id),
      roomId: null,
      subject: "Fabrikam stand-up",
      zone: "America/New_York",
      startMinutes: 10 * 60,
      durationMinutes: 15,
      pattern: { type: "weekly", interval: 1, daysOfWeek: weekdays(), firstDayOfWeek: "monday" },
      firstDayWall: options.anchor - HISTORY_WEEKS * 7 * DAY,
      online: true,
      movedDayWall: null,
      cancelledDayWall: null,
    },
  ];
  return finishRecipe(
    {
      id: f.id,
      name: f.name,
      domain: f.domain,
      adminUpn: f.admin.upn,
      seed: options.seed,
      anchor: options.anchor,
    },
    users,
    groups,
    shared,
    phonePool(options.seed, "fabrikam", ["+1646"]),
  );
}

function finishRecipe(
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

function phonePool(seed: string, tenant: string, prefixes: string[]): PhoneNumber[] {
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

// ---------------------------------------------------------------------------------------------------------
// Mailbox generation

export function emptyMailbox(ownerId: string): MailboxData {
  const calendar: EmCalendar = {
    id: itemIdFrom("Cal", `${ownerId}:calendar`),
    name: "Calendar",
    color: "auto",
    isDefaultCalendar: true,
    canEdit: true,
    version: 1,
  };
  return {
    calendars: [calendar],
    events: new Map(),
    contactFolders: [
      {
        id: itemIdFrom("Fold", `${ownerId}:contacts`),
        displayName: "Contacts",
        parentFolderId: itemIdFrom("Root", ownerId),
      },
    ],
    contacts: new Map(),
    todoLists: [
      {
        id: itemIdFrom("List", `${ownerId}:tasks`),
        displayName: "Tasks",
        isOwner: true,
        isShared: false,
        wellknownListName: "defaultList",
      },
    ],
    tasks: new Map(),
    deleted: new Map(),
  };
}

function baseEvent(
  owner: EmUser,
  calendarId: string,
  id: string,
  fields: Partial<EmEvent> & Pick<EmEvent, "subject" | "startUtc" | "endUtc" | "timeZone">,
  createdAt: number,
): EmEvent {
  return {
    id,
    mailboxId: owner.id,
    calendarId,
    iCalUId: `040000008200E00074C5B7101A82E008${createHash("sha1").update(id).digest("hex").toUpperCase()}`,
    type: "singleInstance",
    body: { contentType: "html", content: "" },
    isAllDay: false,
    showAs: "busy",
    sensitivity: "normal",
    importance: "normal",
    isCancelled: false,
    isOrganizer: true,
    organizer: { name: owner.displayName, address: owner.mail },
    attendees: [],
    location: { displayName: "" },
    isOnlineMeeting: false,
    onlineMeetingProvider: "unknown",
    joinUrl: null,
    recurrence: null,
    exceptions: {},
    transactionId: null,
    categories: [],
    responseStatus: { response: "organizer", time: "0001-01-01T00:00:00Z" },
    reminderMinutesBeforeStart: 15,
    isReminderOn: true,
    responseRequested: true,
    createdAt,
    modifiedAt: createdAt,
    version: 1,
    ...fields,
  };
}

export function joinUrlFor(id: string): string {
  const h = createHash("sha1").update(id).digest("hex");
  return `https://teams.microsoft.com/l/meetup-join/19%3ameeting_${h.slice(0, 32)}%40thread.v2/0?context=%7b%22Tid%22%3a%22${h.slice(
    0,
    8,
  )}%22%7d`;
}

/** Generates a mailbox's calendars, events, contacts and To Do tasks from the recipe. */
export function generateMailbox(recipe: TenantRecipe, state: TenantState, owner: EmUser): MailboxData {
  const box = emptyMailbox(owner.id);
  if (!owner.hasMailbox) return box;
  const calendarId = box.calendars[0]!.id;
  const created = recipe.anchor - 200 * DAY;
  const rnd = prng(`${recipe.seed}:${recipe.id}:mailbox:${owner.id}`);
  const zone = owner.timeZone;
  const at = (dayOffset: number, minutes: number, z: string = zone) =>
    wallToUtc(recipe.anchor + dayOffset * DAY + minutes * MINUTE, z);

  // Shared meetings (organizer event or attendee copy).
  for (const index of recipe.sharedByMailbox.get(owner.id) ?? []) {
    const m = recipe.shared[index];
    if (!m) continue;
    const organizer = state.users.get(m.organizerId);
    if (!organizer) continue;
    const masterId = itemIdFrom("Evt", `${recipe.id}:${m.key}:${m.organizerId}`);
    const id = owner.id === m.organizerId ? masterId : itemIdFrom("Evt", `${recipe.id}:${m.key}:${owner.id}`);
    const startUtc = wallToUtc(m.firstDayWall + m.startMinutes * MINUTE, m.zone);
    const attendees: Attendee[] = m.attendeeIds.flatMap((aid) => {
      const a = state.users.get(aid);
      return a
        ? [{ type: "required" as const, name: a.displayName, address: a.mail, response: "accepted" as const }]
        : [];
    });
    const room = m.roomId ? state.users.get(m.roomId) : undefined;
    if (room)
      attendees.push({ type: "resource", name: room.displayName, address: room.mail, response: "accepted" });
    const exceptions: EmEvent["exceptions"] = {};
    const windowsZone = toWindows(m.zone);
    if (m.movedDayWall !== null) {
      const original = wallToUtc(m.movedDayWall + m.startMinutes * MINUTE, m.zone);
      exceptions[String(original)] = {
        startUtc: original + HOUR,
        endUtc: original + HOUR + m.durationMinutes * MINUTE,
        version: 2,
        modifiedAt: recipe.anchor - DAY,
      };
    }
    if (m.cancelledDayWall !== null) {
      const original = wallToUtc(m.cancelledDayWall + m.startMinutes * MINUTE, m.zone);
      exceptions[String(original)] = { cancelled: true, version: 2, modifiedAt: recipe.anchor - DAY };
    }
    const event = baseEvent(
      owner,
      calendarId,
      id,
      {
        subject: m.subject,
        startUtc,
        endUtc: startUtc + m.durationMinutes * MINUTE,
        timeZone: windowsZone,
        type: "seriesMaster",
        iCalUId: `040000008200E00074C5B7101A82E008${createHash("sha1").update(masterId).digest("hex").toUpperCase()}`,
        isOrganizer: owner.id === m.organizerId,
        organizer: { name: organizer.displayName, address: organizer.mail },
        attendees,
        location: room
          ? { displayName: room.displayName, locationEmailAddress: room.mail, locationType: "conferenceRoom" }
          : { displayName: m.online ? "Microsoft Teams Meeting" : "" },
        isOnlineMeeting: m.online,
        onlineMeetingProvider: m.online ? "teamsForBusiness" : "unknown",
        joinUrl: m.online ? joinUrlFor(masterId) : null,
        recurrence: {
          pattern: m.pattern,
          range: { type: "noEnd", startDate: isoDate(m.firstDayWall), recurrenceTimeZone: windowsZone },
        },
        exceptions,
        responseStatus:
          owner.id === m.organizerId
            ? { response: "organizer", time: "0001-01-01T00:00:00Z" }
            : { response: "accepted", time: new Date(created).toISOString() },
      },
      created,
    );
    box.events.set(event.id, event);
  }

  if (owner.kind === "room") return box;

  // Personal items around the demo week (this week and next).
  const personal: EmEvent[] = [];
  const add = (key: string, fields: Partial<EmEvent> & Pick<EmEvent, "subject" | "startUtc" | "endUtc">) =>
    personal.push(
      baseEvent(
        owner,
        calendarId,
        itemIdFrom("Evt", `${recipe.id}:${owner.id}:${key}`),
        { timeZone: toWindows(zone), ...fields },
        created,
      ),
    );
  for (let day = -7; day < 14; day++) {
    const dow = new Date(recipe.anchor + day * DAY).getUTCDay();
    if (dow === 0 || dow === 6) continue;
    const meetings = Math.floor(rnd() * 3);
    for (let k = 0; k < meetings; k++) {
      const startMin = (10 + Math.floor(rnd() * 7)) * 60 + (rnd() < 0.5 ? 0 : 30);
      const dur = rnd() < 0.6 ? 30 : 60;
      const subjects = [
        "Customer call",
        "Pipeline review",
        "Demo prep",
        "Renewal sync",
        "Escalation review",
        "Lunch & learn",
      ];
      add(`m:${day}:${k}`, {
        subject: subjects[Math.floor(rnd() * subjects.length)] ?? "Meeting",
        startUtc: at(day, startMin),
        endUtc: at(day, startMin + dur),
        showAs: rnd() < 0.15 ? "tentative" : "busy",
        responseStatus: { response: "organizer", time: "0001-01-01T00:00:00Z" },
      });
    }
  }
  const pick = Math.floor(rnd() * 5);
  // All-day out of office (two days, next week) for Erik and some generated people; a working-elsewhere
  // day for others.
  const erikAway = DEMO_WEEK.erikOutOfOffice;
  if (owner.id === DEMO.contoso.users.erik.id || (pick === 0 && !wellKnownIds.has(owner.id))) {
    add("oof", {
      subject: "Out of office",
      startUtc: at(erikAway.firstDay, 0),
      endUtc: at(erikAway.lastDay + 1, 0),
      isAllDay: true,
      showAs: "oof",
    });
  }
  add("wfh", {
    subject: "Working from home",
    startUtc: at(pick === 1 ? 4 : 2, 0),
    endUtc: at(pick === 1 ? 5 : 3, 0),
    isAllDay: true,
    showAs: "workingElsewhere",
  });
  add("focus", {
    subject: "Focus time",
    startUtc: at(1, 15 * 60),
    endUtc: at(1, 16 * 60 + 30),
    showAs: "free",
  });
  add("private", {
    subject: "Doctor appointment",
    startUtc: at(3, 8 * 60),
    endUtc: at(3, 9 * 60),
    sensitivity: "private",
  });
  add("tentative", {
    subject: "Conference talk (tentative)",
    startUtc: at(4, 13 * 60),
    endUtc: at(4, 14 * 60),
    showAs: "tentative",
  });
  for (const e of personal) box.events.set(e.id, e);

  // Secondary calendar.
  box.calendars.push({
    id: itemIdFrom("Cal", `${owner.id}:personal`),
    name: "Personal",
    color: "lightGreen",
    isDefaultCalendar: false,
    canEdit: true,
    version: 1,
  });

  // Contacts and To Do.
  const folderId = box.contactFolders[0]!.id;
  const contacts = ["Northwind Traders", "Tailspin Toys", "Adventure Works", "Woodgrove Bank", "Litware"];
  for (let i = 0; i < 5; i++) {
    const first = FIRST[Math.floor(rnd() * FIRST.length)] ?? "Kim";
    const last = LAST[Math.floor(rnd() * LAST.length)] ?? "Lee";
    const company = contacts[i] ?? "Contoso";
    const contact: EmContact = {
      id: itemIdFrom("Con", `${owner.id}:contact:${i}`),
      folderId,
      givenName: first,
      surname: last,
      displayName: `${first} ${last}`,
      emailAddresses: [
        {
          name: `${first} ${last}`,
          address: `${slug(first)}.${slug(last)}@${slug(company).replace(/\./g, "")}.example`,
        },
      ],
      businessPhones: [`+1 425 555 ${String(100 + i).padStart(4, "0")}`],
      mobilePhone: null,
      companyName: company,
      jobTitle: "Buyer",
      createdAt: created,
      modifiedAt: created,
      version: 1,
    };
    box.contacts.set(contact.id, contact);
  }
  const listId = box.todoLists[0]!.id;
  const tasks = ["Send proposal", "Follow up on renewal", "Prepare QBR deck", "Update CRM notes"];
  tasks.forEach((title, i) => {
    const task: EmTask = {
      id: itemIdFrom("Task", `${owner.id}:task:${i}`),
      listId,
      title,
      status: i === 3 ? "completed" : "notStarted",
      importance: i === 0 ? "high" : "normal",
      body: { content: "", contentType: "text" },
      dueUtc: at(i + 1, 17 * 60),
      dueZone: toWindows(zone),
      createdAt: created,
      modifiedAt: created,
      version: 1,
    };
    box.tasks.set(task.id, task);
  });
  return box;
}
