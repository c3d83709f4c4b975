/**
 * Graph's event JSON as sync reads and writes it, and Graph's failures as the engine's RemoteFailures:
 * literal Graph answers, no server.
 */
import assert from "node:assert/strict";
import { describe, test } from "vitest";
import { DomainError } from "../../src/core/errors.ts";
import { type EventFields, normalizeFields } from "../../src/core/sync/model.ts";
import { GraphError } from "../../src/graph/errors.ts";
import { eventFieldsOf, graphEventOf } from "../../src/graph/sync-event-fields.ts";
import { remoteFailureOf } from "../../src/graph/sync-remote.ts";
import { at, event } from "./rig.ts";

const graphError = (status: number, code: string, retryAfterSeconds?: number) =>
  new GraphError({ status, code, message: "m", method: "GET", path: "/users/x/events", retryAfterSeconds });

describe("Graph events as sync fields", () => {
  test("a meeting Outlook answers with a Windows zone reads as UTC instants in its IANA zone", () => {
    const fields = eventFieldsOf({
      id: "AAMkAD=",
      type: "singleInstance",
      subject: "Review",
      body: { content: "" },
      start: { dateTime: "2026-12-08T08:00:00.0000000", timeZone: "UTC" },
      end: { dateTime: "2026-12-08T08:30:00.0000000", timeZone: "UTC" },
      originalStartTimeZone: "W. Europe Standard Time",
      isAllDay: false,
      isCancelled: false,
      showAs: "busy",
      location: { displayName: "" },
      attendees: [
        {
          type: "required",
          status: { response: "tentativelyAccepted" },
          emailAddress: { address: "Dana@Fabrikam.com" },
        },
        {
          type: "resource",
          status: { response: "organizer" },
          emailAddress: { address: "room-1@contoso.com" },
        },
      ],
    });
    assert.equal(fields.start, at("2026-12-08T08:00:00Z"));
    assert.equal(fields.end, at("2026-12-08T08:30:00Z"));
    assert.equal(fields.timeZone, "Europe/Berlin");
    assert.equal(fields.body, null);
    assert.equal(fields.location, null);
    assert.deepEqual((normalizeFields(fields) as EventFields).attendees, [
      { email: "dana@fabrikam.com", type: "required", response: "tentative" },
      { email: "room-1@contoso.com", type: "resource", response: "none" },
    ]);
  });

  test("an all-day event is a floating date: midnight in its own zone, whatever zone the times came in", () => {
    const fields = eventFieldsOf({
      id: "AAMkAE=",
      type: "singleInstance",
      subject: "Out of office",
      start: { dateTime: "2026-12-09T00:00:00.0000000", timeZone: "UTC" },
      end: { dateTime: "2026-12-10T00:00:00.0000000", timeZone: "UTC" },
      originalStartTimeZone: "Europe/Stockholm",
      isAllDay: true,
      showAs: "oof",
    });
    assert.equal(fields.start, at("2026-12-08T23:00:00Z"));
    assert.equal(fields.end, at("2026-12-09T23:00:00Z"));
    assert.equal(fields.showAs, "oof");
  });

  test("a series written and read back keeps its pattern; an occurrence keeps its original start", () => {
    const series = event({
      kind: "series",
      recurrence: {
        frequency: "weekly",
        interval: 2,
        daysOfWeek: ["tuesday"],
        count: null,
        until: at("2027-02-23T23:00:00Z"),
      },
    });
    const written = graphEventOf(series) as { recurrence: { pattern: unknown; range: unknown } };
    assert.deepEqual(written.recurrence.pattern, {
      type: "weekly",
      interval: 2,
      daysOfWeek: ["tuesday"],
      firstDayOfWeek: "sunday",
    });
    assert.deepEqual(written.recurrence.range, {
      type: "endDate",
      startDate: "2026-12-08",
      endDate: "2027-02-24",
      recurrenceTimeZone: "Europe/Stockholm",
    });
    const read = eventFieldsOf({
      id: "AAMkAF=",
      type: "seriesMaster",
      start: { dateTime: "2026-12-08T09:00:00.0000000", timeZone: "UTC" },
      end: { dateTime: "2026-12-08T09:30:00.0000000", timeZone: "UTC" },
      originalStartTimeZone: "Europe/Stockholm",
      ...written,
    } as Parameters<typeof eventFieldsOf>[0]);
    assert.deepEqual(read.recurrence, series.recurrence);
    const occurrence = eventFieldsOf({
      id: "AAMkAF=.1",
      type: "occurrence",
      seriesMasterId: "AAMkAF=",
      start: { dateTime: "2026-12-22T09:00:00.0000000", timeZone: "UTC" },
      end: { dateTime: "2026-12-22T09:30:00.0000000", timeZone: "UTC" },
      originalStart: "2026-12-22T09:00:00Z",
    });
    assert.equal(occurrence.kind, "occurrence");
    assert.equal(occurrence.originalStart, at("2026-12-22T09:00:00Z"));
    assert.equal(occurrence.recurrence, null);
  });
});

describe("Graph failures as RemoteFailures", () => {
  const cases: [GraphError, ReturnType<typeof remoteFailureOf>][] = [
    [graphError(412, "ErrorIrresolvableConflict"), { kind: "precondition-failed" }],
    [graphError(409, "ErrorIrresolvableConflict"), { kind: "precondition-failed" }],
    [graphError(409, "ErrorFolderExists"), { kind: "already-exists" }],
    [graphError(404, "ErrorItemNotFound"), { kind: "not-found" }],
    [graphError(410, "syncStateNotFound"), { kind: "token-expired" }],
    [graphError(400, "syncStateNotFound"), { kind: "token-expired" }],
    [graphError(400, "resyncRequired"), { kind: "token-expired" }],
    [graphError(410, "Gone"), { kind: "token-expired" }],
    [graphError(429, "TooManyRequests", 1.5), { kind: "throttled", retryAfterMs: 1500 }],
    [graphError(429, "TooManyRequests"), { kind: "throttled", retryAfterMs: 30_000 }],
    [graphError(503, "ServiceUnavailable", 4), { kind: "throttled", retryAfterMs: 4000 }],
    [
      graphError(503, "ServiceUnavailable"),
      { kind: "unavailable", status: 503, graphCode: "ServiceUnavailable" },
    ],
    [graphError(0, "Timeout"), { kind: "unavailable", status: 0, graphCode: "Timeout" }],
    [
      graphError(404, "MailboxNotEnabledForRESTAPI"),
      { kind: "mailbox-unavailable", graphCode: "MailboxNotEnabledForRESTAPI", consentLost: false },
    ],
    [
      graphError(403, "ErrorAccessDenied"),
      { kind: "mailbox-unavailable", graphCode: "ErrorAccessDenied", consentLost: false },
    ],
    [
      graphError(401, "InvalidAuthenticationToken"),
      { kind: "mailbox-unavailable", graphCode: "InvalidAuthenticationToken", consentLost: true },
    ],
  ];
  for (const [error, failure] of cases)
    test(`${error.status} ${error.code} is ${failure.kind}`, () => {
      assert.deepEqual(remoteFailureOf(error), failure);
    });

  test("consent lost while taking a token stops sync as consent revoked", () => {
    assert.deepEqual(remoteFailureOf(new DomainError("RECONNECT_NEEDED")), {
      kind: "mailbox-unavailable",
      graphCode: "RECONNECT_NEEDED",
      consentLost: true,
    });
  });

  test("a request Graph calls malformed is a bug, thrown, never a quiet failure", () => {
    assert.throws(() => remoteFailureOf(graphError(400, "ErrorInvalidIdMalformed")), GraphError);
    assert.throws(() => remoteFailureOf(new Error("boom")), /boom/);
  });
});
