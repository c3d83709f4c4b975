import type { EmGroup } from "./model.ts";
import { FIRST, LAST, makeRoom, makeUser, type PersonSpec, slug, weekdays, ZONES } from "./seed-people.ts";
import { guidFrom, prng } from "./seed-random.ts";
import {
  finishRecipe,
  phonePool,
  type RecipeOptions,
  type SharedMeeting,
  type TenantRecipe,
} from "./seed-tenant.ts";
import { DAY } from "./time.ts";

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

export const wellKnownIds: ReadonlySet<string> = new Set(
  [DEMO.contoso, DEMO.fabrikam].flatMap((t) => [t.admin.id, ...Object.values(t.users).map((u) => u.id)]),
);

/** Number of Contoso people in the default recipe (including the admin). */
export const CONTOSO_DEFAULT_USERS = 40;
export const FABRIKAM_USERS = 8;

/** Monday of the week containing `anchor` in wall terms; all demo series start 26 weeks earlier. */
export const HISTORY_WEEKS = 26;

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
