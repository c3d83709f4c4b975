/**
 * `connectQuorum`: the task pane's QuorumPort over the service's HTTP API, through the one typed API
 * client shared with the Teams tab.
 */
import { z } from "zod";
import type { ApiClientOptions } from "../../src/api-client/client.ts";
import { createTransport } from "../../src/api-client/client.ts";
import type { Availability, QuorumPort } from "./quorum.ts";

const gridRow = z.object({
  id: z.string(),
  role: z.enum(["required", "optional", "room"]),
  view: z.string(),
  workingHours: z.object({ timeZone: z.string() }).passthrough().nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
});
const suggestion = z.object({
  start: z.number(),
  end: z.number(),
  room: z.string().nullable(),
  uncertain: z.number(),
  attendees: z.array(z.object({ id: z.string(), status: z.string(), reason: z.string().nullable() })),
});
const availabilityResponse = z.object({
  window: z.object({ start: z.number(), end: z.number() }),
  intervalMinutes: z.number(),
  grid: z.array(gridRow),
  suggestions: z.array(suggestion),
  emptyReason: z.string().nullable(),
});
const bookingResponse = z.object({
  id: z.string(),
  start: z.number(),
  end: z.number(),
  joinUrl: z.string().nullable().optional(),
});

export function connectQuorum(options: ApiClientOptions): QuorumPort {
  const transport = createTransport(options);
  return {
    async availability(query, signal) {
      const body = await transport.request("/api/availability", {
        query: {
          required: query.required,
          optional: query.optional,
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
        schema: bookingResponse,
      });
      return { id: body.id, start: body.start, end: body.end, joinUrl: body.joinUrl ?? null };
    },
  };
}
