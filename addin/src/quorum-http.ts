/**
 * `connectQuorum`: the task pane's QuorumPort over the service's HTTP API, through the one typed API
 * client shared with the Teams tab.
 */
import type { ApiClientOptions } from "../../src/api-client/client.ts";
import { createTransport } from "../../src/api-client/client.ts";
import { availabilityResponse } from "../../src/api-contract/availability.ts";
import { createBookingResponse } from "../../src/api-contract/bookings.ts";
import { mailboxSettingsResponse } from "../../src/api-contract/directory.ts";
import type { Availability, QuorumPort } from "./quorum.ts";

export function connectQuorum(options: ApiClientOptions): QuorumPort {
  const transport = createTransport(options);
  return {
    async availability(query, signal) {
      const body = await transport.request("/api/availability", {
        method: "POST",
        body: {
          required: query.required,
          optional: query.optional,
          rooms: query.rooms ?? [],
          start: new Date(query.start).toISOString(),
          end: new Date(query.end).toISOString(),
          durationMinutes: query.durationMinutes,
          timeZone: query.timeZone,
          maxSuggestions: query.maxSuggestions,
        },
        schema: availabilityResponse,
        ...(signal ? { signal } : {}),
      });
      const result: Availability = {
        window: body.window,
        intervalMinutes: body.intervalMinutes,
        people: body.grid.map((row) => ({
          email: row.id,
          role: row.role,
          view: row.view,
          timeZone: row.workingHours?.timeZone ?? null,
          error: row.error,
        })),
        suggestions: body.suggestions.map((s) => ({
          start: s.start,
          end: s.end,
          room: s.room,
          uncertain: s.uncertain,
          attendees: s.attendees.map((a) => ({ email: a.id, status: a.status, reason: a.reason })),
        })),
        emptyReason: body.emptyReason,
      };
      return result;
    },
    async book(draft, idempotencyKey) {
      const body = await transport.request("/api/bookings", {
        method: "POST",
        headers: { "idempotency-key": idempotencyKey },
        body: {
          subject: draft.subject,
          start: new Date(draft.start).toISOString(),
          end: new Date(draft.end).toISOString(),
          timeZone: draft.timeZone,
          required: draft.required,
          optional: draft.optional,
          room: draft.room,
        },
        schema: createBookingResponse,
      });
      return { id: body.id, start: body.start, end: body.end, joinUrl: body.joinUrl };
    },
    async mailboxTimeZone(signal) {
      const settings = await transport.request("/api/me/mailbox-settings", {
        schema: mailboxSettingsResponse,
        ...(signal ? { signal } : {}),
      });
      return settings.timeZone;
    },
  };
}
