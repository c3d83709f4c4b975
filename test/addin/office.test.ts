/**
 * The Office wrapper against office-addin-mock's Outlook object model: values come back through
 * promises, Office failures (async results and synchronous throws) become OfficeError rejections.
 */
import assert from "node:assert/strict";
import { OfficeMockObject } from "office-addin-mock";
import { describe, test } from "vitest";
import { createOutlook, type OfficeCallback, OfficeError, type OfficeGlobal } from "../../addin/office.ts";

type Result = Parameters<OfficeCallback<unknown>>[0];
const ok = (value?: unknown): Result => ({ status: "succeeded", value });
const failed = (code: number, name: string, message: string): Result => ({
  status: "failed",
  value: undefined,
  error: { code, name, message },
});

const constants = {
  host: "outlook",
  AsyncResultStatus: { Succeeded: "succeeded", Failed: "failed" },
  CoercionType: { Html: "html", Text: "text" },
  EventType: {
    ItemChanged: "olkItemSelectedChanged",
    RecipientsChanged: "olkRecipientsChanged",
    AppointmentTimeChanged: "olkAppointmentTimeChanged",
  },
  onReady: async () => ({ host: "Outlook", platform: "OfficeOnline" }),
  auth: { getAccessToken: async () => "sso-token" },
};

const profile = { emailAddress: "adele@contoso.example", displayName: "Adele Vance" };

/** An appointment being composed; `log` records every call that changes the item. */
function composeAppointment(overrides: { failStartSet?: boolean; throwOnLocation?: boolean } = {}) {
  const log: string[] = [];
  const handlers = new Map<string, (event: unknown) => void>();
  let start = new Date("2026-11-23T09:00:00Z");
  let end = new Date("2026-11-23T09:30:00Z");
  const required = [
    { emailAddress: "megan@contoso.example", displayName: "Megan Bowen" },
    { emailAddress: "lee@contoso.example", displayName: "" },
  ];
  const item = {
    itemType: "appointment",
    subject: { getAsync: (cb: OfficeCallback<unknown>) => cb(ok("Planning")) },
    start: {
      getAsync: (cb: OfficeCallback<unknown>) => cb(ok(start)),
      setAsync: (value: Date, cb: OfficeCallback<unknown>) => {
        if (overrides.failStartSet) return cb(failed(9041, "InvalidTime", "The start time is not valid."));
        log.push(`start=${value.toISOString()}`);
        start = value;
        cb(ok());
      },
    },
    end: {
      getAsync: (cb: OfficeCallback<unknown>) => cb(ok(end)),
      setAsync: (value: Date, cb: OfficeCallback<unknown>) => {
        log.push(`end=${value.toISOString()}`);
        end = value;
        cb(ok());
      },
    },
    location: {
      getAsync: (cb: OfficeCallback<unknown>) => cb(ok("")),
      setAsync: (value: string, cb: OfficeCallback<unknown>) => {
        if (overrides.throwOnLocation) throw new Error("Sys.ArgumentException: location");
        log.push(`location=${value}`);
        cb(ok());
      },
    },
    requiredAttendees: {
      getAsync: (cb: OfficeCallback<unknown>) => cb(ok(required)),
      addAsync: (list: { emailAddress: string; displayName: string }[], cb: OfficeCallback<unknown>) => {
        log.push(`required+=${list.map((r) => r.emailAddress).join(",")}`);
        cb(ok());
      },
    },
    optionalAttendees: {
      getAsync: (cb: OfficeCallback<unknown>) =>
        cb(ok([{ emailAddress: "alex@contoso.example", displayName: "Alex Wilber" }])),
      addAsync: (_list: unknown, cb: OfficeCallback<unknown>) => cb(ok()),
    },
    body: {
      getTypeAsync: (cb: OfficeCallback<unknown>) => cb(ok("html")),
      setSelectedDataAsync: (
        data: string,
        options: { coercionType: string },
        cb: OfficeCallback<unknown>,
      ) => {
        log.push(`insert(${options.coercionType})=${data}`);
        cb(ok());
      },
    },
    addHandlerAsync: (type: string, handler: (event: unknown) => void, cb: OfficeCallback<unknown>) => {
      handlers.set(type, handler);
      cb(ok());
    },
    removeHandlerAsync: (type: string, cb: OfficeCallback<unknown>) => {
      handlers.delete(type);
      cb(ok());
    },
  };
  const mock = new OfficeMockObject({
    ...constants,
    context: {
      displayLanguage: "de-DE",
      mailbox: {
        userProfile: profile,
        item,
        addHandlerAsync: item.addHandlerAsync,
        removeHandlerAsync: item.removeHandlerAsync,
      },
    },
  });
  return { office: mock as unknown as OfficeGlobal, log, handlers };
}

function readMessage() {
  const mock = new OfficeMockObject({
    ...constants,
    context: {
      mailbox: {
        userProfile: profile,
        item: {
          itemType: "message",
          subject: "Quarterly review",
          from: { emailAddress: "nestor@contoso.example", displayName: "Nestor Wilke" },
          sender: { emailAddress: "assistant@contoso.example", displayName: "Assistant" },
          to: [{ emailAddress: "adele@contoso.example", displayName: "Adele Vance" }],
          cc: [{ emailAddress: "lynne@contoso.example", displayName: "Lynne Robbins" }],
          start: undefined,
          body: {
            getTypeAsync: (cb: OfficeCallback<unknown>) => cb(ok("text")),
            setSelectedDataAsync: (_d: string, _o: unknown, cb: OfficeCallback<unknown>) =>
              cb(failed(9030, "ItemNotCompose", "The item is read-only.")),
          },
          addHandlerAsync: (_t: string, _h: unknown, cb: OfficeCallback<unknown>) => cb(ok()),
          removeHandlerAsync: (_t: string, cb: OfficeCallback<unknown>) => cb(ok()),
        },
        addHandlerAsync: (_t: string, _h: unknown, cb: OfficeCallback<unknown>) => cb(ok()),
        removeHandlerAsync: (_t: string, cb: OfficeCallback<unknown>) => cb(ok()),
      },
    },
  });
  return mock as unknown as OfficeGlobal;
}

describe("Outlook wrapper over Office.js", () => {
  test("tells compose from read and appointment from message", async () => {
    const compose = createOutlook(composeAppointment().office);
    await compose.ready();
    assert.deepEqual(compose.kind(), { type: "appointment", mode: "compose" });
    assert.equal(compose.displayLanguage(), "de-DE");
    assert.deepEqual(compose.mailboxUser(), { email: "adele@contoso.example", name: "Adele Vance" });
    assert.deepEqual(createOutlook(readMessage()).kind(), { type: "message", mode: "read" });
  });

  test("reads times, subject and attendees of a compose appointment", async () => {
    const outlook = createOutlook(composeAppointment().office);
    assert.equal(await outlook.subject(), "Planning");
    const times = await outlook.times();
    assert.equal(times.start.toISOString(), "2026-11-23T09:00:00.000Z");
    assert.equal(times.end.toISOString(), "2026-11-23T09:30:00.000Z");
    assert.deepEqual(await outlook.attendees(), {
      required: [
        { email: "megan@contoso.example", name: "Megan Bowen" },
        { email: "lee@contoso.example", name: "lee@contoso.example" },
      ],
      optional: [{ email: "alex@contoso.example", name: "Alex Wilber" }],
    });
  });

  test("sets start then end, the location and the room", async () => {
    const { office, log } = composeAppointment();
    const outlook = createOutlook(office);
    await outlook.setTimes({
      start: new Date("2026-11-24T13:00:00Z"),
      end: new Date("2026-11-24T13:45:00Z"),
    });
    await outlook.setLocation("Room 4.01");
    await outlook.addRoom({ email: "room401@contoso.example", name: "Room 4.01" });
    assert.deepEqual(log, [
      "start=2026-11-24T13:00:00.000Z",
      "end=2026-11-24T13:45:00.000Z",
      "location=Room 4.01",
      "required+=room401@contoso.example",
    ]);
    const times = await outlook.times();
    assert.equal(times.start.toISOString(), "2026-11-24T13:00:00.000Z");
  });

  test("a failed setAsync rejects with Office's code and name and stops before the end is set", async () => {
    const { office, log } = composeAppointment({ failStartSet: true });
    const outlook = createOutlook(office);
    const error = await outlook
      .setTimes({ start: new Date("2026-11-24T13:00:00Z"), end: new Date("2026-11-24T13:45:00Z") })
      .then(
        () => assert.fail("setTimes should reject"),
        (e: unknown) => e,
      );
    assert.ok(error instanceof OfficeError);
    assert.equal(error.code, 9041);
    assert.equal(error.officeName, "InvalidTime");
    assert.match(error.message, /Setting the start time failed: The start time is not valid/);
    assert.deepEqual(log, []);
  });

  test("an exception thrown by Office itself becomes a rejection, not an uncaught throw", async () => {
    const outlook = createOutlook(composeAppointment({ throwOnLocation: true }).office);
    await assert.rejects(outlook.setLocation("Room"), (e: unknown) => {
      assert.ok(e instanceof OfficeError);
      assert.equal(e.officeName, "OfficeException");
      assert.match(e.message, /Sys.ArgumentException/);
      return true;
    });
  });

  test("inserts HTML or text at the cursor with the matching coercion type", async () => {
    const { office, log } = composeAppointment();
    const outlook = createOutlook(office);
    assert.equal(await outlook.bodyType(), "html");
    await outlook.insertAtCursor("<ul><li>Mon</li></ul>", "html");
    await outlook.insertAtCursor("- Mon", "text");
    assert.deepEqual(log, ["insert(html)=<ul><li>Mon</li></ul>", "insert(text)=- Mon"]);
  });

  test("event handlers fire the listener and can be removed", async () => {
    const { office, handlers } = composeAppointment();
    const outlook = createOutlook(office);
    let calls = 0;
    const off = await outlook.onRecipientsChanged(() => calls++);
    await outlook.onAppointmentTimeChanged(() => calls++);
    handlers.get("olkRecipientsChanged")?.({ type: "olkRecipientsChanged" });
    handlers.get("olkAppointmentTimeChanged")?.({});
    assert.equal(calls, 2);
    await off();
    assert.equal(handlers.has("olkRecipientsChanged"), false);
  });

  test("read mode gives plain values and refuses compose-only calls with an OfficeError", async () => {
    const outlook = createOutlook(readMessage());
    assert.equal(await outlook.subject(), "Quarterly review");
    assert.deepEqual(await outlook.sender(), { email: "nestor@contoso.example", name: "Nestor Wilke" });
    assert.deepEqual(await outlook.attendees(), {
      required: [{ email: "adele@contoso.example", name: "Adele Vance" }],
      optional: [{ email: "lynne@contoso.example", name: "Lynne Robbins" }],
    });
    await assert.rejects(
      outlook.setLocation("x"),
      (e: unknown) => e instanceof OfficeError && e.code === 9001,
    );
    await assert.rejects(outlook.times(), (e: unknown) => e instanceof OfficeError && e.code === 9001);
    await assert.rejects(
      outlook.insertAtCursor("x", "text"),
      (e: unknown) => e instanceof OfficeError && e.officeName === "ItemNotCompose",
    );
  });

  test("no open item and a failed sign-in are OfficeErrors", async () => {
    const mock = new OfficeMockObject({
      ...constants,
      auth: {
        getAccessToken: async () => {
          throw Object.assign(new Error("The user is not signed in."), {
            code: 13001,
            name: "UserNotSignedIn",
          });
        },
      },
      context: { mailbox: { userProfile: profile } },
    });
    const outlook = createOutlook(mock as unknown as OfficeGlobal);
    assert.equal(outlook.kind(), null);
    await assert.rejects(outlook.attendees(), (e: unknown) => e instanceof OfficeError && e.code === 9000);
    await assert.rejects(outlook.accessToken(), (e: unknown) => {
      assert.ok(e instanceof OfficeError);
      assert.equal(e.code, 13001);
      assert.equal(e.officeName, "UserNotSignedIn");
      return true;
    });
  });
});
