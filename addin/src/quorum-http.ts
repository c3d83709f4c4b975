/**
 * The task pane's QuorumPort over the service's HTTP API, through `createApiClient`, the one typed API
 * client the Teams tab uses too. This module maps the client's answers to what the pane's components
 * read; requests, tokens, errors and the contract's schemas are the client's.
 */
import { createApiClient, type QuorumApi } from "../../src/api-client/api.ts";
import type { ApiClientOptions } from "../../src/api-client/client.ts";
import type { Availability, QuorumPort } from "./quorum.ts";

/** The port over an API client. */
export function quorumOver(api: QuorumApi): QuorumPort {
  return {
    async availability(query, signal) {
      const body = await api.availability(
        {
          required: query.required,
          optional: query.optional,
          rooms: query.rooms ?? [],
          start: new Date(query.start).toISOString(),
          end: new Date(query.end).toISOString(),
          durationMinutes: query.durationMinutes,
          timeZone: query.timeZone,
          maxSuggestions: query.maxSuggestions,
        },
        signal,
      );
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
      const body = await api.bookings.create(
        {
          subject: draft.subject,
          start: new Date(draft.start).toISOString(),
          end: new Date(draft.end).toISOString(),
          timeZone: draft.timeZone,
          required: draft.required,
          optional: draft.optional,
          room: draft.room,
        },
        idempotencyKey,
      );
      return { id: body.id, start: body.start, end: body.end, joinUrl: body.joinUrl };
    },
    async mailboxTimeZone(signal) {
      return (await api.mailboxSettings(signal)).timeZone;
    },
  };
}

/** The port for a service at `baseUrl`, with the pane's Office SSO tokens. */
export function connectQuorum(options: ApiClientOptions): QuorumPort {
  return quorumOver(createApiClient(options));
}
