/**
 * State of appointment compose: the meeting's attendees and times from Outlook, an optional room, their
 * availability from the meeting's day on, and "Use this time", which sets the item's start and end (and
 * the room as location and attendee).
 */
import { useMemo, useState } from "react";
import { localTimeOnDay } from "../../../src/ui-shared/format.ts";
import { useAction } from "../../../src/ui-shared/useAction.ts";
import { useAsync } from "../../../src/ui-shared/useAsync.ts";
import type { SlotSuggestion } from "../quorum.ts";
import { type SurfaceProps, uniquePeople } from "../shared/surface.ts";
import { useItem } from "../shared/useItem.ts";
import { strings } from "../strings.ts";

const DAY = 86_400_000;
/** Days searched from the meeting's day (or today, when the meeting is in the past). */
const DAYS_SEARCHED = 5;

export function useAppointmentCompose({ outlook, quorum, timeZone, changes, now }: SurfaceProps) {
  const item = useItem(outlook, true, changes);
  const applying = useAction();
  const [applied, setApplied] = useState<SlotSuggestion | null>(null);
  const me = outlook.mailboxUser();
  const [room, setRoom] = useState("");
  const [roomDraft, setRoomDraft] = useState("");

  const query = useMemo(() => {
    if (item.state.status !== "ready" || !item.state.times) return null;
    const { attendees, times } = item.state;
    const others = uniquePeople([attendees.required, attendees.optional]).filter(
      (p) => p.email.toLowerCase() !== me.email.toLowerCase() && p.email.toLowerCase() !== room.toLowerCase(),
    );
    if (others.length === 0) return null;
    const optional = new Set(attendees.optional.map((p) => p.email.toLowerCase()));
    const duration = Math.max(15, Math.round((times.end.getTime() - times.start.getTime()) / 60_000));
    const from = localTimeOnDay(Math.max(now(), times.start.getTime()), 0, timeZone);
    return {
      required: [me.email, ...others.filter((p) => !optional.has(p.email.toLowerCase())).map((p) => p.email)],
      optional: others.filter((p) => optional.has(p.email.toLowerCase())).map((p) => p.email),
      start: from,
      end: from + DAYS_SEARCHED * DAY,
      ...(room ? { rooms: [room] } : {}),
      durationMinutes: duration,
      timeZone,
      maxSuggestions: 5,
    };
  }, [item.state, me.email, timeZone, now, room]);

  const availability = useAsync(query ? (signal) => quorum.availability(query, signal) : null, [
    quorum,
    JSON.stringify(query),
  ]);

  const names = useMemo(() => {
    const map = new Map<string, string>([[me.email.toLowerCase(), strings.you]]);
    if (item.state.status === "ready") {
      for (const p of [...item.state.attendees.required, ...item.state.attendees.optional]) {
        map.set(p.email.toLowerCase(), p.name);
      }
    }
    return map;
  }, [item.state, me]);

  // The room, once invited, is an attendee to Outlook but not a person to list.
  const people =
    item.state.status === "ready"
      ? uniquePeople([item.state.attendees.required, item.state.attendees.optional]).filter(
          (p) => p.email.toLowerCase() !== room.toLowerCase(),
        )
      : [];

  return {
    item,
    people,
    availability,
    names,
    roomDraft,
    setRoomDraft,
    /** Searches with the room typed so far. */
    chooseRoom: () => setRoom(roomDraft.trim()),
    applied,
    applying: applying.busy,
    applyError: applying.error,
    dismissApplyError: applying.dismiss,
    apply(s: SlotSuggestion) {
      setApplied(null);
      void applying.run(async () => {
        await outlook.setTimes({ start: new Date(s.start), end: new Date(s.end) });
        if (s.room) {
          const picked = { email: s.room, name: names.get(s.room.toLowerCase()) ?? s.room };
          await outlook.setLocation(picked.name);
          await outlook.addRoom(picked);
        }
        return s;
      }, setApplied);
    },
  };
}
