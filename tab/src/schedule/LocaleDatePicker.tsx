/**
 * Fluent's DatePicker speaking the user's locale through Intl: the field shows and reads dates as the
 * locale writes them, the calendar has the locale's month and day names and first day of the week, and its
 * buttons are labelled in the UI language. Loaded lazily by `DateField`.
 */
import { makeStyles } from "@fluentui/react-components";
import { DatePicker, type DatePickerProps } from "@fluentui/react-datepicker-compat";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import {
  calendarNames,
  firstDayOfWeek,
  formatIsoDate,
  parseLocalDate,
} from "../../../src/ui-shared/format.ts";

export interface LocaleDatePickerProps {
  /** YYYY-MM-DD */
  value: string;
  onChange: (isoDate: string) => void;
  min?: string | undefined;
  locale: string;
  /** Tells the field what is wrong with a typed date, or that nothing is. */
  onProblem: (message: string | undefined) => void;
}

const pad = (n: number) => String(n).padStart(2, "0");

const useStyles = makeStyles({
  // The field takes its column's width; the native input's own width (20 characters) must not widen it.
  root: { width: "100%", minWidth: 0, "& input": { width: "100%", minWidth: 0 } },
});

/** The picker works with local-time Date objects; the tab with calendar dates. Noon keeps DST out of it. */
const toDate = (isoDate: string) => {
  const [y, m, d] = isoDate.split("-").map(Number) as [number, number, number];
  return new Date(y, m - 1, d, 12);
};
const toIso = (date: Date) => `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;

export function LocaleDatePicker({ value, onChange, min, locale, onProblem }: LocaleDatePickerProps) {
  const styles = useStyles();
  const { t } = useTranslation();
  const strings = useMemo<NonNullable<DatePickerProps["strings"]>>(
    () => ({
      ...calendarNames(locale),
      goToToday: t("common.date.goToToday"),
      prevMonthAriaLabel: t("common.date.prevMonth"),
      nextMonthAriaLabel: t("common.date.nextMonth"),
      prevYearAriaLabel: t("common.date.prevYear"),
      nextYearAriaLabel: t("common.date.nextYear"),
      prevYearRangeAriaLabel: t("common.date.prevYears"),
      nextYearRangeAriaLabel: t("common.date.nextYears"),
      closeButtonAriaLabel: t("common.date.close"),
      selectedDateFormatString: t("common.date.selected"),
      todayDateFormatString: t("common.date.today"),
    }),
    [locale, t],
  );
  const formatter = useMemo<NonNullable<DatePickerProps["dateTimeFormatter"]>>(() => {
    const f = (options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(locale, options);
    const day = f({ day: "numeric" });
    const month = f({ month: "long" });
    const year = f({ year: "numeric" });
    const monthDayYear = f({ day: "numeric", month: "long", year: "numeric" });
    const monthYear = f({ month: "long", year: "numeric" });
    return {
      formatDay: (d) => day.format(d),
      // The month picker shows short names: its buttons' names start with them (label in name), then
      // say the month in full.
      formatMonth: (d, names) => {
        const short = names.shortMonths[d.getMonth()] ?? "";
        const long = month.format(d);
        return short === long ? long : `${short}, ${long}`;
      },
      formatYear: (d) => year.format(d),
      formatMonthDayYear: (d) => monthDayYear.format(d),
      // "dezembro 2026" rather than "dezembro de 2026": the calendar's header is narrow.
      formatMonthYear: (d) =>
        monthYear
          .formatToParts(d)
          .filter((p) => p.type === "month" || p.type === "year")
          .map((p) => p.value)
          .join(" "),
    };
  }, [locale]);
  const example = formatIsoDate("2026-11-21", locale);
  const minDate = min ? toDate(min) : undefined;
  return (
    <DatePicker
      className={styles.root}
      allowTextInput
      value={toDate(value)}
      minDate={minDate}
      formatDate={(date) => (date ? formatIsoDate(toIso(date), locale) : "")}
      parseDateFromString={(text) => {
        const iso = parseLocalDate(text, locale);
        return iso ? toDate(iso) : null;
      }}
      onSelectDate={(date) => {
        if (date) onChange(toIso(date));
      }}
      onValidationResult={({ error }) =>
        onProblem(
          error === "invalid-input"
            ? t("common.date.invalid", { example })
            : error === "out-of-bounds" && min
              ? t("common.date.outOfRange", { min: formatIsoDate(min, locale) })
              : undefined,
        )
      }
      firstDayOfWeek={firstDayOfWeek(locale) as NonNullable<DatePickerProps["firstDayOfWeek"]>}
      strings={strings}
      dateTimeFormatter={formatter}
      placeholder={example}
      popupSurface={{ "aria-label": t("common.date.calendar") }}
    />
  );
}
