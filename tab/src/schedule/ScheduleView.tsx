/** Find a time: attendees, room, duration, date range → availability grid and ranked suggestions → book. */
import { Button, Caption1, Checkbox, Field, Subtitle1, Subtitle2 } from "@fluentui/react-components";
import { useTranslation } from "react-i18next";
import type { Room } from "../../../src/api-contract/directory.ts";
import { zoneLabel } from "../../../src/ui-shared/format.ts";
import { ChoiceField } from "../shared/ChoiceField.tsx";
import { useTabEnvironment } from "../shared/context.ts";
import { EmptyState, ErrorState, Loading } from "../shared/StateViews.tsx";
import { AvailabilityGrid } from "./AvailabilityGrid.tsx";
import { BookingForm, Confirmation } from "./BookingForm.tsx";
import { DateField } from "./DateField.tsx";
import { PeopleField } from "./PeoplePicker.tsx";
import { RoomPicker } from "./RoomPicker.tsx";
import { useScheduleViewStyles } from "./ScheduleView.styles.ts";
import { Suggestions } from "./Suggestions.tsx";
import { durations, emailOf, useSchedule } from "./useSchedule.ts";

const attendeeLists = [
  { role: "required", label: "schedule.people", other: "optional" },
  { role: "optional", label: "schedule.optional", other: "required" },
] as const;

export function ScheduleView() {
  const styles = useScheduleViewStyles();
  const { t } = useTranslation();
  const { locale, timeZone, openLink } = useTabEnvironment();
  const s = useSchedule();
  const { form } = s;
  const labels = new Map<string, string>([[s.me.toLowerCase(), t("schedule.you")]]);
  if (s.search.status === "results") {
    const { bookFor } = s.search.request;
    for (const p of [
      ...(bookFor ? [bookFor] : []),
      ...s.search.request.required,
      ...s.search.request.optional,
    ]) {
      labels.set(emailOf(p).toLowerCase(), p.displayName);
    }
  }
  if (s.search.status === "results" && s.search.request.room) {
    labels.set(s.search.request.room.email.toLowerCase(), s.search.request.room.displayName);
  }
  const labelOf = (id: string) => labels.get(id.toLowerCase()) ?? id;
  const zone = zoneLabel(timeZone, locale, Date.now());
  const heading = (
    <div className={styles.heading}>
      <Subtitle1 as="h1" id="schedule-heading" block>
        {t("schedule.heading")}
      </Subtitle1>
      <Caption1 className={styles.zone} data-time-zone={timeZone}>
        {t("common.timesIn", zone)}
      </Caption1>
    </div>
  );
  /** The room a suggestion comes with, as the booking form starts with it. */
  const roomOf = (email: string | null): Room | null => {
    if (!email) return null;
    const picked = s.search.status === "results" ? s.search.request.room : null;
    if (picked && picked.email.toLowerCase() === email.toLowerCase()) return picked;
    return {
      email,
      displayName: email,
      capacity: null,
      building: null,
      floorNumber: null,
      city: null,
      isWheelChairAccessible: null,
    };
  };

  if (s.booking.status === "booked") {
    return (
      <section className={styles.root} aria-labelledby="schedule-heading">
        {heading}
        <Confirmation
          booking={s.booking.booking}
          bookedFor={s.booking.bookedFor}
          locale={locale}
          timeZone={timeZone}
          onJoin={openLink}
          onAnother={s.startOver}
        />
      </section>
    );
  }

  return (
    <section className={styles.root} aria-labelledby="schedule-heading">
      {heading}
      <form
        className={styles.form}
        onSubmit={(e) => {
          e.preventDefault();
          void s.find();
        }}
      >
        {form.mayBookForOthers ? (
          <PeopleField
            id="book-for"
            label={t("schedule.bookFor")}
            hint={t("schedule.bookForHint")}
            className={styles.wide}
            single
            placeholder={t("schedule.bookForMyself")}
            selected={form.bookFor ? [form.bookFor] : []}
            onChange={(people) => form.setBookFor(people[0] ?? null)}
            exclude={[
              s.myUserId,
              ...form.required.map((p) => p.userId),
              ...form.optional.map((p) => p.userId),
            ]}
          />
        ) : null}
        {attendeeLists.map(({ role, label, other }) => (
          <PeopleField
            key={role}
            id={`${role}-attendees`}
            label={t(label)}
            className={styles.wide}
            selected={form[role]}
            onChange={role === "required" ? form.setRequired : form.setOptional}
            // Nobody is both required and optional, nor the person booked for.
            exclude={[...form[other].map((p) => p.userId), ...(form.bookFor ? [form.bookFor.userId] : [])]}
          />
        ))}
        <div className={styles.room}>
          <Field label={t("schedule.room")}>
            <RoomPicker
              id="schedule-room"
              value={form.room}
              onChange={form.setRoom}
              minCapacity={form.minCapacity}
            />
          </Field>
          <Checkbox
            label={t("schedule.roomsFit", { count: form.headcount })}
            checked={form.fitRoom}
            onChange={(_e, d) => form.setFitRoom(d.checked === true)}
          />
        </div>
        <ChoiceField
          label={t("schedule.duration")}
          className={styles.control}
          options={durations}
          value={form.duration}
          text={(m) => t("schedule.minutes", { count: m })}
          onChange={form.setDuration}
        />
        <DateField label={t("schedule.from")} value={form.from} onChange={form.setFrom} locale={locale} />
        <DateField
          label={t("schedule.to")}
          value={form.to}
          min={form.from}
          onChange={form.setTo}
          locale={locale}
        />
        <Button
          className={styles.submit}
          appearance="primary"
          type="submit"
          disabled={form.required.length === 0 || s.search.status === "searching"}
        >
          {t("schedule.find")}
        </Button>
      </form>
      {s.search.status === "idle" && form.required.length === 0 ? (
        <EmptyState>{t("schedule.addPeopleFirst")}</EmptyState>
      ) : null}
      {s.search.status === "searching" ? <Loading /> : null}
      {s.search.status === "failed" ? (
        <ErrorState error={s.search.error} onRetry={() => void s.find()} />
      ) : null}
      {s.search.status === "results" ? (
        <div className={styles.results}>
          <section aria-labelledby="grid-heading">
            <Subtitle2 as="h2" id="grid-heading" block>
              {t("schedule.gridHeading")}
            </Subtitle2>
            <AvailabilityGrid
              windowStart={s.search.result.window.start}
              intervalMinutes={s.search.result.intervalMinutes}
              rows={s.search.result.grid.map((r) => ({
                id: r.id,
                label: labelOf(r.id),
                role: r.role,
                view: r.view,
                error: r.error?.message ?? null,
              }))}
              timeZone={timeZone}
              locale={locale}
              highlight={s.focus}
            />
          </section>
          <div>
            {s.booking.status === "drafting" || s.booking.status === "booking" ? (
              <BookingForm
                key={s.booking.idempotencyKey}
                suggestion={s.booking.suggestion}
                room={roomOf(s.booking.suggestion.room)}
                minCapacity={s.search.request.minCapacity}
                busy={s.booking.status === "booking"}
                error={s.booking.status === "drafting" ? s.booking.error : undefined}
                locale={locale}
                timeZone={timeZone}
                onBook={(draft) => void s.book(draft)}
                onCancel={s.cancelDraft}
              />
            ) : (
              <Suggestions
                suggestions={s.search.result.suggestions}
                emptyReason={s.search.result.emptyReason}
                labelOf={labelOf}
                locale={locale}
                timeZone={timeZone}
                focus={s.focus}
                onFocus={s.setFocus}
                onPick={s.pick}
              />
            )}
          </div>
        </div>
      ) : null}
    </section>
  );
}
