/** Upcoming bookings with reschedule and cancel. */
import {
  Body1,
  Button,
  Caption1,
  Card,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  DialogTrigger,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Subtitle1,
  Subtitle2,
} from "@fluentui/react-components";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { isApiError } from "../../../src/api-client/errors.ts";
import type { BookingResponse } from "../../../src/api-contract/bookings.ts";
import { formatRange, isoDateInZone, zonedToEpoch } from "../../../src/ui-shared/format.ts";
import { useAction } from "../../../src/ui-shared/useAction.ts";
import { useAsync } from "../../../src/ui-shared/useAsync.ts";
import { DateField } from "../schedule/DateField.tsx";
import { useTabEnvironment } from "../shared/context.ts";
import { useMe } from "../shared/me.ts";
import { EmptyState, ErrorState, Loading } from "../shared/StateViews.tsx";
import { useMeetingsViewStyles } from "./MeetingsView.styles.ts";

const DAY = 86_400_000;

export function MeetingsView() {
  const styles = useMeetingsViewStyles();
  const { t } = useTranslation();
  const { api, timeZone } = useTabEnvironment();
  const [now] = useState(() => Date.now());
  const list = useAsync(
    (signal) =>
      api.bookings.list(new Date(now).toISOString(), new Date(now + 90 * DAY).toISOString(), signal),
    [api, now],
    { keepDataWhileReloading: true },
  );
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const upcoming =
    list.status === "ready"
      ? list.data.bookings.filter((b) => b.status !== "cancelled").sort((a, b) => a.start - b.start)
      : [];
  return (
    <section className={styles.root} aria-labelledby="meetings-heading">
      <Subtitle1 as="h1" id="meetings-heading" block>
        {t("meetings.heading")}
      </Subtitle1>
      {notice ? (
        <MessageBar intent="success">
          <MessageBarBody>{notice}</MessageBarBody>
        </MessageBar>
      ) : null}
      {list.status === "loading" ? <Loading /> : null}
      {list.status === "failed" ? <ErrorState error={list.error} onRetry={list.reload} /> : null}
      {list.status === "ready" && upcoming.length === 0 ? (
        <EmptyState>{t("meetings.empty")}</EmptyState>
      ) : null}
      {upcoming.length > 0 ? (
        <ul className={styles.list}>
          {upcoming.map((b) => (
            <li key={b.id}>
              <MeetingCard
                // The reschedule fields start from the meeting's time in the user's zone, and start over
                // (with no stale error) when a reload brings a newer version of the meeting.
                key={`${timeZone}-${b.version}`}
                booking={b}
                onChanged={(message) => {
                  setNotice(message);
                  list.reload();
                }}
                onReload={list.reload}
              />
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function MeetingCard({
  booking,
  onChanged,
  onReload,
}: {
  booking: BookingResponse;
  onChanged: (message: string) => void;
  /** Reads the list again (after someone else changed this meeting). */
  onReload: () => void;
}) {
  const styles = useMeetingsViewStyles();
  const { t } = useTranslation();
  const { api, locale, timeZone, openLink } = useTabEnvironment();
  const { me } = useMe();
  const action = useAction();
  const { error, busy } = action;
  const startDate = isoDateInZone(booking.start, timeZone);
  const startMinutes = Math.round((booking.start - zonedToEpoch(startDate, 0, timeZone)) / 60_000);
  const [newDate, setNewDate] = useState(startDate);
  const [newTime, setNewTime] = useState(
    `${String(Math.floor(startMinutes / 60)).padStart(2, "0")}:${String(startMinutes % 60).padStart(2, "0")}`,
  );
  const act = (work: () => Promise<unknown>, message: string) =>
    void action.run(work, () => onChanged(message));
  const others = booking.attendees.filter((a) => a.type !== "organizer").map((a) => a.email);
  return (
    <Card className={styles.card} data-booking={booking.id}>
      <Subtitle2 as="h2">{booking.subject}</Subtitle2>
      <Body1>{formatRange(booking.start, booking.end, locale, timeZone)}</Body1>
      {booking.organizer.userId !== me.actor.userId ? (
        <Caption1>
          {t("meetings.organizer")}: {booking.organizer.email}
        </Caption1>
      ) : null}
      <Caption1>
        {t("meetings.attendees")}: {others.join(", ")}
      </Caption1>
      {error ? (
        <ErrorState
          error={error}
          onRetry={isApiError(error) && error.code === "PRECONDITION_FAILED" ? onReload : undefined}
        />
      ) : null}
      <div className={styles.actions}>
        {booking.joinUrl ? (
          <Button appearance="primary" onClick={() => openLink(booking.joinUrl ?? "")}>
            {t("meetings.join")}
          </Button>
        ) : null}
        <DateField label={t("meetings.newStart")} value={newDate} onChange={setNewDate} locale={locale} />
        <Field label={t("meetings.start")}>
          <Input type="time" value={newTime} onChange={(_e, d) => setNewTime(d.value)} />
        </Field>
        <Button
          disabled={busy}
          onClick={() => {
            const [h, m] = newTime.split(":").map(Number) as [number, number];
            const start = zonedToEpoch(newDate, h * 60 + m, timeZone);
            act(
              () =>
                api.bookings.reschedule(
                  booking.id,
                  {
                    start: new Date(start).toISOString(),
                    end: new Date(start + (booking.end - booking.start)).toISOString(),
                    timeZone,
                  },
                  { ifVersion: booking.version },
                ),
              t("meetings.rescheduled"),
            );
          }}
        >
          {t("meetings.reschedule")}
        </Button>
        <Dialog>
          <DialogTrigger disableButtonEnhancement>
            <Button disabled={busy}>{t("meetings.cancelMeeting")}</Button>
          </DialogTrigger>
          <DialogSurface>
            <DialogBody>
              <DialogTitle>{t("meetings.cancelMeeting")}</DialogTitle>
              <DialogContent>{t("meetings.confirmCancel", { title: booking.subject })}</DialogContent>
              <DialogActions>
                <DialogTrigger disableButtonEnhancement>
                  <Button>{t("meetings.keep")}</Button>
                </DialogTrigger>
                <DialogTrigger disableButtonEnhancement>
                  <Button
                    appearance="primary"
                    onClick={() =>
                      act(
                        () => api.bookings.cancel(booking.id, undefined, { ifVersion: booking.version }),
                        t("meetings.cancelled"),
                      )
                    }
                  >
                    {t("meetings.cancelMeeting")}
                  </Button>
                </DialogTrigger>
              </DialogActions>
            </DialogBody>
          </DialogSurface>
        </Dialog>
      </div>
    </Card>
  );
}
