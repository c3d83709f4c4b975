/** Find a time: attendees, room, duration, date range → availability grid and ranked suggestions → book. */
import {
  Button,
  Dropdown,
  Field,
  Input,
  makeStyles,
  Option,
  Subtitle1,
  tokens,
} from "@fluentui/react-components";
import { useTranslation } from "react-i18next";
import { EmptyState } from "../shared/StateViews.tsx";
import { PeoplePicker } from "./PeoplePicker.tsx";
import { durations, useScheduleForm } from "./useSchedule.ts";

const useStyles = makeStyles({
  form: {
    display: "grid",
    gridTemplateColumns: "repeat(auto-fit, minmax(220px, 1fr))",
    gap: tokens.spacingHorizontalM,
    alignItems: "end",
    padding: tokens.spacingHorizontalL,
    backgroundColor: tokens.colorNeutralBackground1,
    borderRadius: tokens.borderRadiusLarge,
    boxShadow: tokens.shadow4,
  },
  wide: { gridColumn: "1 / -1" },
  section: { marginTop: tokens.spacingVerticalL },
});

export function ScheduleView() {
  const styles = useStyles();
  const { t } = useTranslation();
  const form = useScheduleForm();
  return (
    <section aria-labelledby="schedule-heading">
      <Subtitle1 as="h1" id="schedule-heading" block>
        {t("schedule.heading")}
      </Subtitle1>
      <form
        className={styles.form}
        onSubmit={(e) => {
          e.preventDefault();
          form.submit();
        }}
      >
        <Field label={t("schedule.people")} className={styles.wide}>
          <PeoplePicker
            id="required-attendees"
            label={t("schedule.people")}
            selected={form.required}
            onChange={form.setRequired}
            exclude={form.optional.map((p) => p.userId)}
          />
        </Field>
        <Field label={t("schedule.optional")} className={styles.wide}>
          <PeoplePicker
            id="optional-attendees"
            label={t("schedule.optional")}
            selected={form.optional}
            onChange={form.setOptional}
            exclude={form.required.map((p) => p.userId)}
          />
        </Field>
        <Field label={t("schedule.duration")}>
          <Dropdown
            value={t("schedule.minutes", { count: form.duration })}
            selectedOptions={[String(form.duration)]}
            onOptionSelect={(_e, d) => form.setDuration(Number(d.optionValue))}
          >
            {durations.map((m) => (
              <Option key={m} value={String(m)}>
                {t("schedule.minutes", { count: m })}
              </Option>
            ))}
          </Dropdown>
        </Field>
        <Field label={t("schedule.from")}>
          <Input type="date" value={form.from} onChange={(_e, d) => form.setFrom(d.value)} />
        </Field>
        <Field label={t("schedule.to")}>
          <Input type="date" value={form.to} min={form.from} onChange={(_e, d) => form.setTo(d.value)} />
        </Field>
        <Button appearance="primary" type="submit" disabled={form.required.length === 0}>
          {t("schedule.find")}
        </Button>
      </form>
      <div className={styles.section}>
        {form.required.length === 0 ? <EmptyState>{t("schedule.addPeopleFirst")}</EmptyState> : null}
      </div>
    </section>
  );
}
