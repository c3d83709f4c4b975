/**
 * Appointment compose: the meeting's attendees and times from Outlook, a compact availability strip for
 * them on the meeting's day, ranked suggestions, and "Use this time", which sets the item's start/end
 * (and the room as location and attendee).
 */
import {
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  makeStyles,
  Spinner,
  Subtitle2,
  Text,
  tokens,
} from "@fluentui/react-components";
import { useMemo, useState } from "react";
import { formatDay, localTimeOnDay } from "../../../src/ui-shared/format.ts";
import { useAsync } from "../../../src/ui-shared/useAsync.ts";
import type { SlotSuggestion } from "../quorum.ts";
import { emptyText } from "../reasons.ts";
import { AvailabilityStrip } from "../shared/AvailabilityStrip.tsx";
import { ErrorBar } from "../shared/ErrorBar.tsx";
import { Suggestions } from "../shared/Suggestions.tsx";
import { type SurfaceProps, uniquePeople } from "../shared/surface.ts";
import { useItem } from "../shared/useItem.ts";
import { strings } from "../strings.ts";

const DAY = 86_400_000;

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  people: { color: tokens.colorNeutralForeground2 },
  room: { display: "flex", flexDirection: "column" },
});

export function AppointmentCompose({ outlook, quorum, locale, timeZone, changes, now }: SurfaceProps) {
  const styles = useStyles();
  const item = useItem(outlook, true, changes);
  const [actionError, setActionError] = useState<unknown>(null);
  const [applied, setApplied] = useState<SlotSuggestion | null>(null);
  const [applying, setApplying] = useState(false);
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
      end: from + 5 * DAY,
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

  async function applySlot(s: SlotSuggestion) {
    setApplying(true);
    setActionError(null);
    setApplied(null);
    try {
      await outlook.setTimes({ start: new Date(s.start), end: new Date(s.end) });
      if (s.room) {
        const room = { email: s.room, name: names.get(s.room.toLowerCase()) ?? s.room };
        await outlook.setLocation(room.name);
        await outlook.addRoom(room);
      }
      setApplied(s);
    } catch (error) {
      setActionError(error);
    } finally {
      setApplying(false);
    }
  }

  if (item.state.status === "loading") return <Spinner label={strings.loading} />;
  if (item.state.status === "failed") return <ErrorBar error={item.state.error} onRetry={item.retry} />;
  const { times } = item.state;
  // The room, once invited, is an attendee to Outlook but not a person to list.
  const people = uniquePeople([item.state.attendees.required, item.state.attendees.optional]).filter(
    (p) => p.email.toLowerCase() !== room.toLowerCase(),
  );

  return (
    <div className={styles.root}>
      <section aria-label={strings.attendees}>
        <Subtitle2 as="h2" block>
          {strings.attendees}
        </Subtitle2>
        <Text as="p" size={200} className={styles.people}>
          {people.length > 0 ? people.map((p) => p.name).join(", ") : strings.noAttendees}
        </Text>
      </section>
      <form
        className={styles.room}
        onSubmit={(event) => {
          event.preventDefault();
          setRoom(roomDraft.trim());
        }}
      >
        <Field label={strings.room} hint={strings.roomHint}>
          <Input
            type="email"
            value={roomDraft}
            placeholder="room@contoso.com"
            onChange={(_e, d) => setRoomDraft(d.value)}
            onBlur={() => setRoom(roomDraft.trim())}
          />
        </Field>
      </form>
      {actionError ? <ErrorBar error={actionError} onDismiss={() => setActionError(null)} /> : null}
      {applied ? (
        <MessageBar intent="success">
          <MessageBarBody>{strings.timeSet}</MessageBarBody>
        </MessageBar>
      ) : null}
      {availability.status === "loading" ? <Spinner label={strings.loading} /> : null}
      {availability.status === "failed" ? (
        <ErrorBar error={availability.error} onRetry={availability.reload} />
      ) : null}
      {availability.status === "ready" && times ? (
        <>
          <AvailabilityStrip
            availability={availability.data}
            names={names}
            from={localTimeOnDay(times.start.getTime(), 8 * 60, timeZone)}
            to={localTimeOnDay(times.start.getTime(), 18 * 60, timeZone)}
            caption={strings.availabilityOf(formatDay(times.start.getTime(), locale, timeZone))}
            highlight={{ start: times.start.getTime(), end: times.end.getTime() }}
            locale={locale}
            timeZone={timeZone}
          />
          <section aria-label={strings.suggestions}>
            <Subtitle2 as="h2" block>
              {strings.suggestions}
            </Subtitle2>
            {availability.data.suggestions.length === 0 ? (
              <Text as="p">{emptyText(availability.data.emptyReason, locale)}</Text>
            ) : (
              <Suggestions
                suggestions={availability.data.suggestions}
                locale={locale}
                timeZone={timeZone}
                names={names}
                actionLabel={strings.useThisTime}
                busy={applying}
                onAction={(s) => void applySlot(s)}
              />
            )}
          </section>
        </>
      ) : null}
    </div>
  );
}
