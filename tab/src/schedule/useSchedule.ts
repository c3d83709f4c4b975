/** State of the Schedule view: the search form, availability, suggestions and the booking in progress. */
import { useEffect, useState } from "react";
import type { AvailabilityResponse } from "../../../src/api-contract/availability.ts";
import type { CreateBookingResponse } from "../../../src/api-contract/bookings.ts";
import type { DirectoryPerson, Room } from "../../../src/api-contract/directory.ts";
import { addDays, isoDateInZone, zonedToEpoch } from "../../../src/ui-shared/format.ts";
import { useTabEnvironment } from "../shared/context.ts";
import { useMe } from "../shared/me.ts";

export const durations = [15, 30, 45, 60, 90] as const;
export const reminders = [0, 5, 15, 30, 60] as const;

export type Suggestion = AvailabilityResponse["suggestions"][number];

export const emailOf = (p: DirectoryPerson): string => p.mail ?? p.upn;

export type ScheduleState =
  | { status: "idle" }
  | { status: "searching" }
  | { status: "failed"; error: unknown }
  | { status: "results"; result: AvailabilityResponse; request: SearchRequest };

export interface SearchRequest {
  /** The colleague whose calendar the meeting goes into (scheduler role); null: the caller's own. */
  bookFor: DirectoryPerson | null;
  required: DirectoryPerson[];
  optional: DirectoryPerson[];
  room: Room | null;
  duration: number;
  /** Rooms offered seat at least this many people (undefined: any room). */
  minCapacity: number | undefined;
}

export interface BookingDraft {
  subject: string;
  isOnlineMeeting: boolean;
  room: Room | null;
  reminderMinutes: number;
  note: string;
}

export type BookingState =
  | { status: "none" }
  | { status: "drafting"; suggestion: Suggestion; idempotencyKey: string; error?: unknown }
  | { status: "booking"; suggestion: Suggestion; idempotencyKey: string }
  | { status: "booked"; booking: CreateBookingResponse; bookedFor: DirectoryPerson | null };

export function useSchedule() {
  const { api, timeZone } = useTabEnvironment();
  const { me } = useMe();
  const today = isoDateInZone(Date.now(), timeZone);
  // Schedulers may book into a colleague's calendar (sales development reps booking for sellers).
  const mayBookForOthers = me.actor.roles.includes("scheduler");
  const [bookFor, setBookFor] = useState<DirectoryPerson | null>(null);
  const [required, setRequired] = useState<DirectoryPerson[]>([]);
  const [optional, setOptional] = useState<DirectoryPerson[]>([]);
  const [room, setRoom] = useState<Room | null>(null);
  const [fitRoom, setFitRoom] = useState(true);
  const [duration, setDuration] = useState<number>(30);
  const [from, setFrom] = useState(today);
  const [to, setTo] = useState(addDays(today, 4));
  const [datesTouched, setDatesTouched] = useState(false);
  // The mailbox's zone may arrive after the first render; "today" follows it until the user picks dates.
  useEffect(() => {
    if (datesTouched) return;
    setFrom(today);
    setTo(addDays(today, 4));
  }, [today, datesTouched]);
  const [search, setSearch] = useState<ScheduleState>({ status: "idle" });
  const [booking, setBooking] = useState<BookingState>({ status: "none" });
  const [focus, setFocus] = useState<Suggestion | undefined>(undefined);
  const organizer = bookFor ? emailOf(bookFor) : me.actor.upn;
  // Everyone invited plus the organizer.
  const headcount = required.length + optional.length + 1;
  const minCapacity = fitRoom ? headcount : undefined;

  const find = async () => {
    const request: SearchRequest = { bookFor, required, optional, room, duration, minCapacity };
    setSearch({ status: "searching" });
    setBooking({ status: "none" });
    setFocus(undefined);
    try {
      const result = await api.availability({
        // The organizer's own calendar is read too, as in Outlook's Scheduling Assistant.
        required: [organizer, ...required.map(emailOf)],
        optional: optional.map(emailOf),
        rooms: room ? [room.email] : [],
        start: new Date(zonedToEpoch(from, 0, timeZone)).toISOString(),
        end: new Date(zonedToEpoch(addDays(to, 1), 0, timeZone)).toISOString(),
        durationMinutes: duration,
        intervalMinutes: 30,
        timeZone,
        maxSuggestions: 8,
        ...(bookFor ? { organizer: organizer } : {}),
      });
      setSearch({ status: "results", result, request });
      setFocus(result.suggestions[0]);
    } catch (error) {
      setSearch({ status: "failed", error });
    }
  };

  const book = async (draft: BookingDraft) => {
    if (booking.status !== "drafting" || search.status !== "results") return;
    const { suggestion, idempotencyKey } = booking;
    const { bookFor: bookedFor } = search.request;
    setBooking({ status: "booking", suggestion, idempotencyKey });
    try {
      const created = await api.bookings.create(
        {
          subject: draft.subject.trim(),
          body: draft.note.trim() || null,
          start: new Date(suggestion.start).toISOString(),
          end: new Date(suggestion.end).toISOString(),
          timeZone,
          required: search.request.required.map(emailOf),
          optional: search.request.optional.map(emailOf),
          room: draft.room?.email ?? null,
          reminderMinutes: draft.reminderMinutes,
          isOnlineMeeting: draft.isOnlineMeeting,
          organizer: bookedFor ? emailOf(bookedFor) : null,
        },
        idempotencyKey,
      );
      setBooking({ status: "booked", booking: created, bookedFor });
    } catch (error) {
      setBooking({ status: "drafting", suggestion, idempotencyKey, error });
    }
  };

  return {
    /** The caller's own address and user id. */
    me: me.actor.upn,
    myUserId: me.actor.userId,
    form: {
      mayBookForOthers,
      bookFor,
      setBookFor,
      required,
      setRequired,
      optional,
      setOptional,
      room,
      setRoom,
      headcount,
      fitRoom,
      setFitRoom,
      minCapacity,
      duration,
      setDuration,
      from,
      setFrom: (v: string) => {
        setDatesTouched(true);
        setFrom(v);
        if (v > to) setTo(v);
      },
      to,
      setTo: (v: string) => {
        setDatesTouched(true);
        setTo(v);
      },
    },
    search,
    find,
    focus,
    setFocus,
    booking,
    pick: (suggestion: Suggestion) => {
      setFocus(suggestion);
      setBooking({ status: "drafting", suggestion, idempotencyKey: crypto.randomUUID() });
    },
    cancelDraft: () => setBooking({ status: "none" }),
    book,
    startOver: () => {
      setBooking({ status: "none" });
      setSearch({ status: "idle" });
      setRequired([]);
      setOptional([]);
    },
  };
}
