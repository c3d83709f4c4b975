/**
 * State of the read surface: the sender (or organizer) and the other attendees, their availability for
 * the next days, and booking a suggested time. "Book with Quorum" first asks to confirm the time and the
 * subject (prefilled from the item's); a confirmed intent — one slot with one subject — keeps one
 * idempotency key, so confirming twice, or again after a failure, never books twice. After a booking the
 * suggestions are asked for again, so the booked time is no longer offered.
 */
import { useMemo, useRef, useState } from "react";
import { localTimeOnDay } from "../../../src/ui-shared/format.ts";
import { useAction } from "../../../src/ui-shared/useAction.ts";
import { useAsync } from "../../../src/ui-shared/useAsync.ts";
import type { Person } from "../../office.ts";
import type { Availability, BookingResult, SlotSuggestion } from "../quorum.ts";
import { type SurfaceProps, uniquePeople } from "../shared/surface.ts";
import { useItem } from "../shared/useItem.ts";
import { strings } from "../strings.ts";

const DAY = 86_400_000;
export const DAYS_SHOWN = 3;
/** Days searched, so that a weekend still leaves three days with working hours to show. */
const DAYS_SEARCHED = 7;
/** The service takes 20 attendees at most; the reader is one of them. */
const MAX_OTHERS = 19;

/** The first `count` days of the window (8:00–18:00 local) on which someone is within working hours. */
export function workingDays(data: Availability, startOfToday: number, timeZone: string, count: number) {
  const step = data.intervalMinutes * 60_000;
  const days: { day: number; from: number; to: number }[] = [];
  for (let d = 0; d < DAYS_SEARCHED && days.length < count; d++) {
    const day = localTimeOnDay(startOfToday + d * DAY + 12 * 3_600_000, 0, timeZone);
    const from = localTimeOnDay(day, 8 * 60, timeZone);
    const to = localTimeOnDay(day, 18 * 60, timeZone);
    const first = Math.max(0, Math.floor((from - data.window.start) / step));
    const last = Math.ceil((to - data.window.start) / step);
    if (data.people.some((p) => /[^59]/.test(p.view.slice(first, last)))) days.push({ day, from, to });
  }
  return days;
}

/** A suggestion the reader chose, waiting for them to confirm it with a subject. */
export interface PendingBooking {
  suggestion: SlotSuggestion;
  subject: string;
}

export function useReadItem({ outlook, quorum, timeZone, changes, now }: SurfaceProps) {
  const item = useItem(outlook, false, changes);
  const sender = useAsync(() => outlook.sender(), [outlook]);
  const keys = useRef(new Map<string, string>());
  const booking = useAction();
  const [booked, setBooked] = useState<BookingResult | null>(null);
  const [pending, setPending] = useState<PendingBooking | null>(null);
  // Set synchronously, so a second click arriving before the next render does not start a second request.
  const confirming = useRef(false);
  const me = outlook.mailboxUser();
  const startOfToday = useMemo(() => localTimeOnDay(now(), 0, timeZone), [now, timeZone]);

  // The sender once read (null when the item has none); undefined until then.
  const from = sender.status === "ready" ? sender.data : undefined;
  const people = useMemo((): { required: Person[]; optional: Person[] } | null => {
    if (item.state.status !== "ready" || from === undefined) return null;
    const isMe = (p: Person) => p.email.toLowerCase() === me.email.toLowerCase();
    const required = uniquePeople([from ? [from] : [], item.state.attendees.required]).filter(
      (p) => !isMe(p),
    );
    const optional = item.state.attendees.optional.filter(
      (p) => !isMe(p) && !required.some((r) => r.email.toLowerCase() === p.email.toLowerCase()),
    );
    return {
      required: required.slice(0, MAX_OTHERS),
      optional: optional.slice(0, MAX_OTHERS - Math.min(MAX_OTHERS, required.length)),
    };
  }, [item.state, from, me.email]);

  const query = useMemo(() => {
    if (!people || people.required.length + people.optional.length === 0) return null;
    return {
      required: [me.email, ...people.required.map((p) => p.email)],
      optional: people.optional.map((p) => p.email),
      start: startOfToday,
      end: startOfToday + DAYS_SEARCHED * DAY,
      durationMinutes: 30,
      timeZone,
      maxSuggestions: 5,
    };
  }, [people, me.email, startOfToday, timeZone]);
  const availability = useAsync(
    query ? (signal) => quorum.availability(query, signal) : null,
    [quorum, JSON.stringify(query)],
    { keepDataWhileReloading: true },
  );

  const names = useMemo(() => {
    const map = new Map<string, string>([[me.email.toLowerCase(), strings.you]]);
    for (const p of [...(people?.required ?? []), ...(people?.optional ?? [])])
      map.set(p.email.toLowerCase(), p.name);
    return map;
  }, [people, me]);

  /** "Book with Quorum": asks to confirm; a click while a confirmation is open changes nothing. */
  function ask(s: SlotSuggestion) {
    if (item.state.status !== "ready" || pending) return;
    booking.dismiss();
    setPending({ suggestion: s, subject: item.state.subject });
  }

  function setSubject(subject: string) {
    setPending((p) => (p ? { ...p, subject } : p));
  }

  function cancel() {
    if (confirming.current) return;
    booking.dismiss();
    setPending(null);
  }

  async function confirm() {
    if (!query || !pending || confirming.current) return;
    const subject = pending.subject.trim();
    if (!subject) return;
    const s = pending.suggestion;
    const intent = JSON.stringify([s.start, s.end, s.room, subject]);
    let key = keys.current.get(intent);
    if (!key) {
      key = crypto.randomUUID();
      keys.current.set(intent, key);
    }
    const draft = {
      subject,
      start: s.start,
      end: s.end,
      timeZone,
      required: query.required.filter((e) => e.toLowerCase() !== me.email.toLowerCase()),
      optional: query.optional,
      room: s.room,
    };
    const idempotencyKey = key;
    confirming.current = true;
    try {
      await booking.run(
        () => quorum.book(draft, idempotencyKey),
        (result) => {
          setBooked(result);
          setPending(null);
          availability.reload();
        },
      );
    } finally {
      confirming.current = false;
    }
  }

  return {
    item,
    sender,
    /** Whom the surface is about: the first person other than the reader. */
    title: people?.required[0]?.name ?? people?.optional[0]?.name,
    availability,
    names,
    startOfToday,
    booked,
    booking: booking.busy,
    bookError: booking.error,
    /** Who a booking invites (display names). */
    invited: [...(people?.required ?? []), ...(people?.optional ?? [])].map((p) => p.name),
    /** The suggestion waiting for confirmation, with the subject as edited. */
    pending,
    ask,
    setSubject,
    cancel,
    confirm,
  };
}
