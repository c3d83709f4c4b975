/**
 * `createApiClient({baseUrl, getToken})`: Quorum's API as typed methods. Response bodies are parsed with
 * the schemas of `src/api-contract/*`, so the tab, the add-in and the service agree on one contract.
 */
import { z } from "zod";
import { type AvailabilityResponse, availabilityResponse } from "../api-contract/availability.ts";
import {
  type BookingResponse,
  bookingEtag,
  bookingResponse,
  createBookingResponse,
  listBookingsResponse,
} from "../api-contract/bookings.ts";
import {
  type CallersResponse,
  callersResponse,
  type DirectorySearchResponse,
  directorySearchResponse,
  type GroupsResponse,
  groupsResponse,
  type MailboxSettingsResponse,
  type MembersQuery,
  type MembersResponse,
  type MySeatsResponse,
  mailboxSettingsResponse,
  membersResponse,
  mySeatsResponse,
  type RoleName,
  type RoomsResponse,
  roomsResponse,
  setRolesResponse,
} from "../api-contract/directory.ts";
import {
  type ConsentStartResponse,
  consentStartResponse,
  type MeResponse,
  meResponse,
  type TestConnectionResponse,
  testConnectionResponse,
} from "../api-contract/identity.ts";
import {
  auditEntry,
  type commitPlanRequest,
  directorySyncResponse,
  invitation,
  joinRequest,
  mySync,
  type PlanResponse,
  planResponse,
  plan as planSchema,
  pool,
  rule,
  type SeatKindName,
  seat,
  seatsOverview,
  seatsSummary,
} from "../api-contract/seats.ts";
import { type ApiClientOptions, type ApiTransport, createTransport } from "./client.ts";

export interface QuorumApi {
  readonly transport: ApiTransport;
  /** The caller, their organization's consent status, and whom to ask (admins). */
  me(signal?: AbortSignal): Promise<MeResponse>;
  consent: {
    /** Starts admin consent; open `consentUrl` top-level (it carries no token). */
    start(returnTo?: string): Promise<ConsentStartResponse>;
    /** Tries each permission Quorum relies on (owner/admin); says what is missing and how to fix it. */
    test(): Promise<TestConnectionResponse>;
  };
  availability(
    query: {
      required: string[];
      optional?: string[];
      rooms?: string[];
      /** ISO 8601 with offset. */
      start: string;
      end: string;
      durationMinutes: number;
      intervalMinutes?: number;
      timeZone: string;
      maxSuggestions?: number;
      /** A colleague's address when booking into their calendar (scheduler); the caller otherwise. */
      organizer?: string;
    },
    signal?: AbortSignal,
  ): Promise<AvailabilityResponse>;
  bookings: {
    create(
      draft: {
        subject: string;
        body?: string | null;
        start: string;
        end: string;
        timeZone: string;
        required: string[];
        optional?: string[];
        room?: string | null;
        reminderMinutes?: number | null;
        isOnlineMeeting?: boolean;
        /** A colleague's address to book into their calendar (scheduler role). */
        organizer?: string | null;
      },
      idempotencyKey: string,
    ): Promise<z.output<typeof createBookingResponse>>;
    list(from: string, to: string, signal?: AbortSignal): Promise<{ bookings: BookingResponse[] }>;
    /** `ifVersion`: the version last read; a meeting changed since answers PRECONDITION_FAILED. */
    reschedule(
      id: string,
      change: { start: string; end: string; timeZone?: string },
      options?: { ifVersion?: number },
    ): Promise<BookingResponse>;
    cancel(id: string, comment?: string, options?: { ifVersion?: number }): Promise<BookingResponse>;
  };
  seats: {
    overview(signal?: AbortSignal): Promise<z.output<typeof seatsOverview>>;
    /** Pools, limits and the directory's import state (what the Seat pools section shows). */
    summary(signal?: AbortSignal): Promise<z.output<typeof seatsSummary>>;
    setPool(kind: SeatKindName, total: number): Promise<z.output<typeof pool>>;
    assign(userId: string, kind: SeatKindName): Promise<z.output<typeof seat>>;
    release(userId: string, kind: SeatKindName, reason?: string): Promise<unknown>;
    /** The CSV template's text. */
    template(): Promise<string>;
    syncDirectory(): Promise<z.output<typeof directorySyncResponse>>;
  };
  plans: {
    /** A CSV file's text, or the file itself (its bytes are sent as they are, encoding and all). */
    fromCsv(csv: string | Blob): Promise<PlanResponse>;
    get(planId: string, page?: { offset?: number; limit?: number; action?: string }): Promise<PlanResponse>;
    /** Commits a reviewed plan; one with error rows needs `{ skipProblemRows: true }` (PLAN_HAS_PROBLEMS otherwise). */
    commit(
      planId: string,
      choice?: z.input<typeof commitPlanRequest>,
    ): Promise<{ plan: z.output<typeof planSchema> }>;
    undo(planId: string): Promise<PlanResponse>;
    /** The plan the group rules would make now; nothing changes until it is committed. */
    fromRules(): Promise<PlanResponse>;
  };
  rules: {
    list(signal?: AbortSignal): Promise<{ rules: z.output<typeof rule>[] }>;
    create(input: { groupId: string; kind: SeatKindName; priority?: number }): Promise<z.output<typeof rule>>;
    remove(ruleId: string): Promise<unknown>;
  };
  invitations: {
    list(signal?: AbortSignal): Promise<{ invitations: z.output<typeof invitation>[] }>;
    create(input: {
      userId: string;
      role?: "member" | "scheduler" | "admin";
      seatKinds?: SeatKindName[];
    }): Promise<z.output<typeof invitation>>;
    /** Admin: withdraws a pending invitation. */
    revoke(invitationId: string): Promise<z.output<typeof invitation>>;
    /** The caller's own invitations. */
    mine(signal?: AbortSignal): Promise<{ invitations: z.output<typeof invitation>[] }>;
    /** The invitee accepts: the invited seats (all or none) and role are granted. */
    accept(invitationId: string): Promise<z.output<typeof invitation>>;
    decline(invitationId: string): Promise<z.output<typeof invitation>>;
  };
  /** Admin: the tenant's people with roles and seats, and its Entra groups. */
  members: {
    list(query?: MembersQuery, signal?: AbortSignal): Promise<MembersResponse>;
    setRoles(userId: string, roles: RoleName[]): Promise<{ userId: string; roles: RoleName[] }>;
  };
  groups(q?: string, signal?: AbortSignal): Promise<GroupsResponse>;
  /** Meeting rooms from the tenant's places. */
  rooms(query?: { q?: string; minCapacity?: number }, signal?: AbortSignal): Promise<RoomsResponse>;
  /** The caller's mailbox time zone, working hours and language. */
  mailboxSettings(signal?: AbortSignal): Promise<MailboxSettingsResponse>;
  joinRequests: {
    list(state?: string, signal?: AbortSignal): Promise<{ requests: z.output<typeof joinRequest>[] }>;
    create(seatKinds: SeatKindName[], message?: string): Promise<z.output<typeof joinRequest>>;
    approve(requestId: string, reason: string): Promise<z.output<typeof joinRequest>>;
    deny(requestId: string, reason: string): Promise<z.output<typeof joinRequest>>;
  };
  audit: {
    list(signal?: AbortSignal): Promise<{ entries: z.output<typeof auditEntry>[] }>;
  };
  mySync: {
    get(signal?: AbortSignal): Promise<z.output<typeof mySync>>;
    set(enabled: boolean): Promise<unknown>;
  };
  mySeats(signal?: AbortSignal): Promise<MySeatsResponse>;
  directory: {
    callers(signal?: AbortSignal): Promise<CallersResponse>;
    search(q: string, options?: { limit?: number; signal?: AbortSignal }): Promise<DirectorySearchResponse>;
  };
}

/** The If-Match header for a booking version the caller last read (none: apply to the current one). */
const ifMatch = (version: number | undefined): Record<string, string> =>
  version === undefined ? {} : { "if-match": bookingEtag(version) };

export function createApiClient(options: ApiClientOptions): QuorumApi {
  const transport = createTransport(options);
  return {
    transport,
    me: (signal) => transport.request("/api/me", { schema: meResponse, ...(signal ? { signal } : {}) }),
    consent: {
      start: (returnTo) =>
        transport.request("/api/admin/consent/start", {
          method: "POST",
          body: returnTo ? { returnTo } : {},
          schema: consentStartResponse,
        }),
      test: () =>
        transport.request("/api/admin/test-connection", {
          method: "POST",
          body: {},
          schema: testConnectionResponse,
        }),
    },
    availability: (query, signal) =>
      transport.request("/api/availability", {
        method: "POST",
        body: query,
        schema: availabilityResponse,
        ...(signal ? { signal } : {}),
      }),
    bookings: {
      create: (draft, idempotencyKey) =>
        transport.request("/api/bookings", {
          method: "POST",
          headers: { "idempotency-key": idempotencyKey },
          body: draft,
          schema: createBookingResponse,
        }),
      list: (from, to, signal) =>
        transport.request("/api/bookings", {
          query: { from, to },
          schema: listBookingsResponse,
          ...(signal ? { signal } : {}),
        }),
      reschedule: (id, change, options) =>
        transport.request(`/api/bookings/${encodeURIComponent(id)}`, {
          method: "PATCH",
          headers: ifMatch(options?.ifVersion),
          body: change,
          schema: bookingResponse,
        }),
      cancel: (id, comment, options) =>
        transport.request(`/api/bookings/${encodeURIComponent(id)}`, {
          method: "DELETE",
          headers: ifMatch(options?.ifVersion),
          query: { comment },
          schema: bookingResponse,
        }),
    },
    seats: {
      overview: (signal) =>
        transport.request("/api/admin/seats", { schema: seatsOverview, ...(signal ? { signal } : {}) }),
      summary: (signal) =>
        transport.request("/api/admin/seats/summary", {
          schema: seatsSummary,
          ...(signal ? { signal } : {}),
        }),
      setPool: (kind, total) =>
        transport.request(`/api/admin/seats/pools/${kind}`, { method: "PUT", body: { total }, schema: pool }),
      assign: (userId, kind) =>
        transport.request("/api/admin/seats/assign", {
          method: "POST",
          body: { userId, kind },
          schema: seat,
        }),
      release: (userId, kind, reason) =>
        transport.request("/api/admin/seats/release", {
          method: "POST",
          body: { userId, kind, ...(reason ? { reason } : {}) },
          schema: noContent,
        }),
      template: () => transport.text("/api/admin/seats/template.csv"),
      syncDirectory: () =>
        transport.request("/api/admin/directory/sync", {
          method: "POST",
          body: {},
          schema: directorySyncResponse,
        }),
    },
    plans: {
      fromCsv: (csv) =>
        transport.request("/api/admin/plans", {
          method: "POST",
          body: csv,
          contentType: typeof csv === "string" ? "text/csv; charset=utf-8" : "text/csv",
          schema: planResponse,
        }),
      get: (planId, page) =>
        transport.request(`/api/admin/plans/${encodeURIComponent(planId)}`, {
          query: { offset: page?.offset, limit: page?.limit, action: page?.action },
          schema: planResponse,
        }),
      commit: (planId, choice = {}) =>
        transport.request(`/api/admin/plans/${encodeURIComponent(planId)}/commit`, {
          method: "POST",
          body: choice,
          schema: z.object({ plan: planSchema }),
        }),
      undo: (planId) =>
        transport.request(`/api/admin/plans/${encodeURIComponent(planId)}/undo`, {
          method: "POST",
          body: {},
          schema: planResponse,
        }),
      fromRules: () =>
        transport.request("/api/admin/plans", {
          method: "POST",
          body: { source: "rule" },
          schema: planResponse,
        }),
    },
    rules: {
      list: (signal) =>
        transport.request("/api/admin/rules", {
          schema: z.object({ rules: z.array(rule) }),
          ...(signal ? { signal } : {}),
        }),
      create: (input) => transport.request("/api/admin/rules", { method: "POST", body: input, schema: rule }),
      remove: (ruleId) =>
        transport.request(`/api/admin/rules/${encodeURIComponent(ruleId)}`, {
          method: "DELETE",
          schema: noContent,
        }),
    },
    invitations: {
      list: (signal) =>
        transport.request("/api/admin/invitations", {
          schema: z.object({ invitations: z.array(invitation) }),
          ...(signal ? { signal } : {}),
        }),
      create: (input) =>
        transport.request("/api/admin/invitations", { method: "POST", body: input, schema: invitation }),
      revoke: (invitationId) =>
        transport.request(`/api/admin/invitations/${encodeURIComponent(invitationId)}`, {
          method: "DELETE",
          schema: invitation,
        }),
      mine: (signal) =>
        transport.request("/api/me/invitations", {
          schema: z.object({ invitations: z.array(invitation) }),
          ...(signal ? { signal } : {}),
        }),
      accept: (invitationId) =>
        transport.request(`/api/me/invitations/${encodeURIComponent(invitationId)}/accept`, {
          method: "POST",
          body: {},
          schema: invitation,
        }),
      decline: (invitationId) =>
        transport.request(`/api/me/invitations/${encodeURIComponent(invitationId)}/decline`, {
          method: "POST",
          body: {},
          schema: invitation,
        }),
    },
    members: {
      list: (query, signal) =>
        transport.request("/api/admin/members", {
          query: { ...query },
          schema: membersResponse,
          ...(signal ? { signal } : {}),
        }),
      setRoles: (userId, roles) =>
        transport.request(`/api/admin/members/${encodeURIComponent(userId)}/roles`, {
          method: "PUT",
          body: { roles },
          schema: setRolesResponse,
        }),
    },
    groups: (q, signal) =>
      transport.request("/api/admin/groups", {
        query: { q },
        schema: groupsResponse,
        ...(signal ? { signal } : {}),
      }),
    rooms: (query, signal) =>
      transport.request("/api/rooms", {
        query: { q: query?.q, minCapacity: query?.minCapacity },
        schema: roomsResponse,
        ...(signal ? { signal } : {}),
      }),
    mailboxSettings: (signal) =>
      transport.request("/api/me/mailbox-settings", {
        schema: mailboxSettingsResponse,
        ...(signal ? { signal } : {}),
      }),
    joinRequests: {
      list: (state, signal) =>
        transport.request("/api/join-requests", {
          query: { state },
          schema: z.object({ requests: z.array(joinRequest) }),
          ...(signal ? { signal } : {}),
        }),
      create: (seatKinds, message) =>
        transport.request("/api/join-requests", {
          method: "POST",
          body: { seatKinds, ...(message ? { message } : {}) },
          schema: joinRequest,
        }),
      approve: (requestId, reason) =>
        transport.request(`/api/join-requests/${encodeURIComponent(requestId)}/approve`, {
          method: "POST",
          body: { reason },
          schema: joinRequest,
        }),
      deny: (requestId, reason) =>
        transport.request(`/api/join-requests/${encodeURIComponent(requestId)}/deny`, {
          method: "POST",
          body: { reason },
          schema: joinRequest,
        }),
    },
    audit: {
      list: (signal) =>
        transport.request("/api/admin/audit", {
          schema: z.object({ entries: z.array(auditEntry) }),
          ...(signal ? { signal } : {}),
        }),
    },
    mySync: {
      get: (signal) => transport.request("/api/me/sync", { schema: mySync, ...(signal ? { signal } : {}) }),
      set: (enabled) =>
        transport.request("/api/me/sync", { method: "PUT", body: { enabled }, schema: noContent }),
    },
    mySeats: (signal) =>
      transport.request("/api/me/seats", { schema: mySeatsResponse, ...(signal ? { signal } : {}) }),
    directory: {
      callers: (signal) =>
        transport.request("/api/directory/callers", {
          schema: callersResponse,
          ...(signal ? { signal } : {}),
        }),
      search: (q, o) =>
        transport.request("/api/directory/search", {
          query: { q, limit: o?.limit },
          schema: directorySearchResponse,
          ...(o?.signal ? { signal: o.signal } : {}),
        }),
    },
  };
}

/** Schema for endpoints that answer 204 or an empty body. */
export const noContent = z.unknown();
