/** The booking form (title, Teams meeting on by default, room, reminder, note) and the confirmation. */
import {
  Body1,
  Button,
  Card,
  Field,
  Input,
  Link,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Subtitle2,
  Switch,
  Textarea,
} from "@fluentui/react-components";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { isApiError } from "../../../src/api-client/errors.ts";
import type { CreateBookingResponse } from "../../../src/api-contract/bookings.ts";
import type { DirectoryPerson, Room } from "../../../src/api-contract/directory.ts";
import { formatRange } from "../../../src/ui-shared/format.ts";
import { ChoiceField } from "../shared/ChoiceField.tsx";
import { ErrorState } from "../shared/StateViews.tsx";
import { useBookingFormStyles } from "./BookingForm.styles.ts";
import { RoomPicker } from "./RoomPicker.tsx";
import { type BookingDraft, reminders, type Suggestion } from "./useSchedule.ts";

export interface BookingFormProps {
  suggestion: Suggestion;
  /** The suggestion's room, which the form starts with. */
  room: Room | null;
  /** Rooms offered seat at least this many people. */
  minCapacity: number | undefined;
  busy: boolean;
  error: unknown;
  locale: string;
  timeZone: string;
  onBook: (draft: BookingDraft) => void;
  onCancel: () => void;
}

export function BookingForm({
  suggestion,
  room,
  minCapacity,
  busy,
  error,
  locale,
  timeZone,
  onBook,
  onCancel,
}: BookingFormProps) {
  const styles = useBookingFormStyles();
  const { t } = useTranslation();
  const [draft, setDraft] = useState<BookingDraft>({
    subject: "",
    isOnlineMeeting: true,
    room,
    reminderMinutes: 15,
    note: "",
  });
  const slotTaken = isApiError(error) && error.code === "SLOT_NO_LONGER_FREE";
  return (
    <Card className={styles.card} role="region" aria-labelledby="booking-heading">
      <Subtitle2 as="h2" id="booking-heading">
        {t("booking.heading")}
      </Subtitle2>
      <Body1>{formatRange(suggestion.start, suggestion.end, locale, timeZone)}</Body1>
      <form
        className={styles.form}
        onSubmit={(e) => {
          e.preventDefault();
          onBook(draft);
        }}
      >
        <Field label={t("booking.title")} required>
          <Input
            value={draft.subject}
            placeholder={t("booking.titlePlaceholder")}
            onChange={(_e, d) => setDraft({ ...draft, subject: d.value })}
          />
        </Field>
        <Switch
          label={t("booking.teams")}
          checked={draft.isOnlineMeeting}
          onChange={(_e, d) => setDraft({ ...draft, isOnlineMeeting: d.checked })}
        />
        <Field label={t("schedule.room")}>
          <RoomPicker
            id="booking-room"
            value={draft.room}
            minCapacity={minCapacity}
            onChange={(r) => setDraft({ ...draft, room: r })}
          />
        </Field>
        <ChoiceField
          label={t("booking.reminder")}
          options={reminders}
          value={draft.reminderMinutes}
          text={(m) => t("booking.reminderMinutes", { count: m })}
          onChange={(m) => setDraft({ ...draft, reminderMinutes: m })}
        />
        <Field label={t("booking.note")}>
          <Textarea value={draft.note} onChange={(_e, d) => setDraft({ ...draft, note: d.value })} />
        </Field>
        {slotTaken ? (
          <MessageBar intent="warning">
            <MessageBarBody>{t("booking.slotTaken")}</MessageBarBody>
          </MessageBar>
        ) : error ? (
          <ErrorState error={error} />
        ) : null}
        <div className={styles.actions}>
          <Button appearance="primary" type="submit" disabled={busy || draft.subject.trim() === ""}>
            {t("booking.book")}
          </Button>
          <Button onClick={onCancel} disabled={busy}>
            {t("booking.cancel")}
          </Button>
          {busy ? <Spinner size="tiny" label={t("booking.booking")} /> : null}
        </div>
      </form>
    </Card>
  );
}

export interface ConfirmationProps {
  booking: CreateBookingResponse;
  /** The colleague the meeting was booked for (scheduler role), null for the caller's own. */
  bookedFor: DirectoryPerson | null;
  locale: string;
  timeZone: string;
  onJoin: (url: string) => void;
  onAnother: () => void;
}

export function Confirmation({ booking, bookedFor, locale, timeZone, onJoin, onAnother }: ConfirmationProps) {
  const styles = useBookingFormStyles();
  const { t } = useTranslation();
  return (
    <Card className={styles.card} role="region" aria-labelledby="confirmation-heading">
      <MessageBar intent="success" layout="multiline">
        <MessageBarBody>
          <MessageBarTitle id="confirmation-heading">{t("booking.confirmed")}</MessageBarTitle>
          {booking.subject} · {formatRange(booking.start, booking.end, locale, timeZone)}
        </MessageBarBody>
      </MessageBar>
      {bookedFor ? <Body1>{t("booking.bookedFor", { name: bookedFor.displayName })}</Body1> : null}
      <Body1>
        {t("booking.confirmedDetail", {
          count: booking.attendees.filter((a) => a.type !== "organizer").length,
        })}
      </Body1>
      {bookedFor && booking.notification.status === "sent" ? (
        <Body1>{t("booking.colleagueTold", { name: bookedFor.displayName })}</Body1>
      ) : null}
      {bookedFor && booking.notification.status === "failed" ? (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>{t("booking.colleagueNotTold", { name: bookedFor.displayName })}</MessageBarBody>
        </MessageBar>
      ) : null}
      {booking.joinUrl ? (
        <>
          <Body1>
            {t("booking.joinLink")}:{" "}
            <Link href={booking.joinUrl} target="_blank" rel="noreferrer" className={styles.link}>
              {booking.joinUrl}
            </Link>
          </Body1>
          <div className={styles.actions}>
            <Button appearance="primary" onClick={() => onJoin(booking.joinUrl ?? "")}>
              {t("booking.join")}
            </Button>
            <Button onClick={onAnother}>{t("booking.another")}</Button>
          </div>
        </>
      ) : (
        <div className={styles.actions}>
          <Button onClick={onAnother}>{t("booking.another")}</Button>
        </div>
      )}
    </Card>
  );
}
