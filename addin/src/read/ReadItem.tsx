/**
 * Message or appointment read: the availability of the sender (or organizer) and the other attendees for
 * the next days, and "Book with Quorum" on a suggested time through the idempotent booking path: each
 * suggestion keeps one idempotency key, so clicking twice never books twice.
 */
import {
  MessageBar,
  MessageBarBody,
  makeStyles,
  Spinner,
  Subtitle2,
  Text,
  tokens,
} from "@fluentui/react-components";
import { useMemo, useRef, useState } from "react";
import { formatDay, formatRange, localTimeOnDay } from "../../../src/ui-shared/format.ts";
import { useAsync } from "../../../src/ui-shared/useAsync.ts";
import type { Person } from "../../office.ts";
import type { Availability, BookingResult, SlotSuggestion } from "../quorum.ts";
import { emptyText } from "../reasons.ts";
import { AvailabilityStrip } from "../shared/AvailabilityStrip.tsx";
import { ErrorBar } from "../shared/ErrorBar.tsx";
import { Suggestions } from "../shared/Suggestions.tsx";
import { type SurfaceProps, uniquePeople } from "../shared/surface.ts";
import { useItem } from "../shared/useItem.ts";
import { strings } from "../strings.ts";

const DAY = 86_400_000;
const DAYS_SHOWN = 3;
/** Days searched, so that a weekend still leaves three days with working hours to show. */
const DAYS_SEARCHED = 7;

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

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  days: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
});

export function ReadItem({ outlook, quorum, locale, timeZone, changes, now }: SurfaceProps) {
  const styles = useStyles();
  const item = useItem(outlook, false, changes);
  const sender = useAsync(() => outlook.sender(), [outlook]);
  const keys = useRef(new Map<string, string>());
  const [booking, setBooking] = useState(false);
  const [booked, setBooked] = useState<BookingResult | null>(null);
  const [bookError, setBookError] = useState<unknown>(null);
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
      required: required.slice(0, 19),
      optional: optional.slice(0, 19 - Math.min(19, required.length)),
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

  async function book(s: SlotSuggestion) {
    if (!query || item.state.status !== "ready") return;
    const slotKey = `${s.start}/${s.end}/${s.room ?? ""}`;
    let key = keys.current.get(slotKey);
    if (!key) {
      key = crypto.randomUUID();
      keys.current.set(slotKey, key);
    }
    setBooking(true);
    setBookError(null);
    try {
      const result = await quorum.book(
        {
          subject: item.state.subject,
          start: s.start,
          end: s.end,
          timeZone,
          required: query.required.filter((e) => e.toLowerCase() !== me.email.toLowerCase()),
          optional: query.optional,
          room: s.room,
        },
        key,
      );
      setBooked(result);
    } catch (error) {
      setBookError(error);
    } finally {
      setBooking(false);
    }
  }

  if (item.state.status === "loading" || sender.status === "loading")
    return <Spinner label={strings.loading} />;
  if (item.state.status === "failed") return <ErrorBar error={item.state.error} onRetry={item.retry} />;
  if (sender.status === "failed") return <ErrorBar error={sender.error} onRetry={sender.reload} />;
  const title = people?.required[0]?.name ?? people?.optional[0]?.name;
  const data = availability.status === "ready" ? availability.data : null;

  return (
    <div className={styles.root}>
      {title ? (
        <Subtitle2 as="h2" block>
          {strings.readTitle(title)}
        </Subtitle2>
      ) : (
        <Text>{strings.noAttendees}</Text>
      )}
      {bookError ? <ErrorBar error={bookError} onDismiss={() => setBookError(null)} /> : null}
      {booked ? (
        <MessageBar intent="success">
          <MessageBarBody>
            {strings.booked(formatRange(booked.start, booked.end, locale, timeZone))}
          </MessageBarBody>
        </MessageBar>
      ) : null}
      {availability.status === "loading" ? <Spinner label={strings.loading} /> : null}
      {availability.status === "failed" ? (
        <ErrorBar error={availability.error} onRetry={availability.reload} />
      ) : null}
      {data ? (
        <>
          <section aria-label={strings.suggestions}>
            <Subtitle2 as="h2" block>
              {strings.suggestions}
            </Subtitle2>
            {data.suggestions.length === 0 ? (
              <Text as="p">{emptyText(data.emptyReason, locale)}</Text>
            ) : (
              <Suggestions
                suggestions={data.suggestions}
                locale={locale}
                timeZone={timeZone}
                names={names}
                actionLabel={strings.bookWithQuorum}
                busy={booking}
                onAction={(s) => void book(s)}
              />
            )}
          </section>
          <section aria-label={strings.nextDays} className={styles.days}>
            <Subtitle2 as="h2" block>
              {strings.nextDays}
            </Subtitle2>
            {workingDays(data, startOfToday, timeZone, DAYS_SHOWN).map(({ day, from, to }) => {
              return (
                <AvailabilityStrip
                  key={day}
                  availability={data}
                  names={names}
                  from={from}
                  to={to}
                  caption={formatDay(day, locale, timeZone)}
                  locale={locale}
                  timeZone={timeZone}
                />
              );
            })}
          </section>
        </>
      ) : null}
    </div>
  );
}
