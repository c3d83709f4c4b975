/**
 * Mailbox generation: each mailbox's calendars and events (shared meetings, personal items, absences around
 * the demo week), contacts and To Do tasks, derived from the recipe on first access.
 */
import { createHash } from "node:crypto";
import type {
  Attendee,
  EmCalendar,
  EmContact,
  EmEvent,
  EmTask,
  EmUser,
  MailboxData,
  TenantState,
} from "./model.ts";
import { DEMO, DEMO_WEEK, wellKnownIds } from "./seed.ts";
import { FIRST, LAST, slug } from "./seed-people.ts";
import { itemIdFrom, joinUrlFor, prng } from "./seed-random.ts";
import type { TenantRecipe } from "./seed-tenant.ts";
import { DAY, HOUR, isoDate, MINUTE, toWindows, wallToUtc } from "./time.ts";

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
