/**
 * State of the read surface: the sender (or organizer) and the other attendees, their availability for
 * the next days, and booking a suggested time through the idempotent booking path: each suggestion keeps
 * one idempotency key, so clicking twice never books twice.
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

export function useReadItem({ outlook, quorum, timeZone, changes, now }: SurfaceProps) {
  const item = useItem(outlook, false, changes);
  const sender = useAsync(() => outlook.sender(), [outlook]);
  const keys = useRef(new Map<string, string>());
  const booking = useAction();
  const [booked, setBooked] = useState<BookingResult | null>(null);
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
  const availability = useAsync(query ? (signal) => quorum.availability(query, signal) : null, [
    quorum,
    JSON.stringify(query),
  ]);

  const names = useMemo(() => {
    const map = new Map<string, string>([[me.email.toLowerCase(), strings.you]]);
    for (const p of [...(people?.required ?? []), ...(people?.optional ?? [])])
      map.set(p.email.toLowerCase(), p.name);
    return map;
  }, [people, me]);

  function book(s: SlotSuggestion) {
    if (!query || item.state.status !== "ready") return;
    const slotKey = `${s.start}/${s.end}/${s.room ?? ""}`;
    let key = keys.current.get(slotKey);
    if (!key) {
      key = crypto.randomUUID();
      keys.current.set(slotKey, key);
    }
    const draft = {
      subject: item.state.subject,
      start: s.start,
      end: s.end,
      timeZone,
      required: query.required.filter((e) => e.toLowerCase() !== me.email.toLowerCase()),
      optional: query.optional,
      room: s.room,
    };
    const idempotencyKey = key;
    void booking.run(() => quorum.book(draft, idempotencyKey), setBooked);
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
    dismissBookError: booking.dismiss,
    book,
  };
}
