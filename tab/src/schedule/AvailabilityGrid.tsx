/**
 * An availability grid in the spirit of Outlook's Scheduling Assistant: one row per person or room, one
 * column per interval of the chosen day in the organizer's zone, and a legend. States are told apart by
 * pattern as well as colour, and every cell is labelled for screen readers.
 */
import { Button, Caption1, makeStyles, mergeClasses, tokens } from "@fluentui/react-components";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { formatDate, formatTime, isoDateInZone } from "../../../src/ui-shared/format.ts";

export type CellState = "free" | "tentative" | "busy" | "oof" | "workingElsewhere" | "outside" | "unknown";

const codeToState: Record<string, CellState> = {
  "0": "free",
  "1": "tentative",
  "2": "busy",
  "3": "oof",
  "4": "workingElsewhere",
  "5": "outside",
  "9": "unknown",
};

export interface GridRowView {
  id: string;
  label: string;
  /** "required" | "optional" | "room" */
  role: string;
  /** One code per interval (0 free, 1 tentative, 2 busy, 3 oof, 4 working elsewhere, 5 outside hours, 9 unknown). */
  view: string;
  error: string | null;
}

export interface AvailabilityGridProps {
  windowStart: number;
  intervalMinutes: number;
  rows: GridRowView[];
  timeZone: string;
  locale: string;
  /** Highlighted slot (a suggestion being looked at). */
  highlight?: { start: number; end: number } | undefined;
}

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  days: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalXS },
  scroller: {
    overflowX: "auto",
    backgroundColor: tokens.colorNeutralBackground1,
    borderRadius: tokens.borderRadiusMedium,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  table: { borderCollapse: "collapse", fontSize: tokens.fontSizeBase200 },
  caption: { textAlign: "start", padding: tokens.spacingHorizontalS, color: tokens.colorNeutralForeground2 },
  rowHeader: {
    position: "sticky",
    left: 0,
    zIndex: 1,
    backgroundColor: tokens.colorNeutralBackground1,
    textAlign: "start",
    fontWeight: tokens.fontWeightRegular,
    padding: `0 ${tokens.spacingHorizontalS}`,
    whiteSpace: "nowrap",
    minWidth: "160px",
    borderRight: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  hour: {
    fontWeight: tokens.fontWeightRegular,
    color: tokens.colorNeutralForeground2,
    textAlign: "start",
    paddingInlineStart: "2px",
    borderLeft: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    whiteSpace: "nowrap",
  },
  cell: {
    width: "14px",
    minWidth: "14px",
    height: "28px",
    padding: 0,
    borderLeft: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke3}`,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke3}`,
  },
  hourStart: { borderLeft: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke1}` },
  highlighted: {
    outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}`,
    outlineOffset: "-2px",
  },
  free: { backgroundColor: tokens.colorNeutralBackground1 },
  busy: { backgroundColor: tokens.colorBrandBackground },
  tentative: {
    backgroundImage: `repeating-linear-gradient(45deg, ${tokens.colorBrandBackground} 0 3px, ${tokens.colorNeutralBackground1} 3px 6px)`,
  },
  oof: { backgroundColor: tokens.colorPaletteBerryBackground3 },
  workingElsewhere: {
    backgroundImage: `radial-gradient(${tokens.colorBrandForeground1} 1.5px, ${tokens.colorNeutralBackground1} 1.5px)`,
    backgroundSize: "5px 5px",
  },
  outside: { backgroundColor: tokens.colorNeutralBackground5 },
  unknown: {
    backgroundImage: `repeating-linear-gradient(-45deg, ${tokens.colorNeutralForeground3} 0 1px, ${tokens.colorNeutralBackground3} 1px 5px)`,
  },
  legend: {
    display: "flex",
    flexWrap: "wrap",
    gap: tokens.spacingHorizontalM,
    listStyleType: "none",
    margin: 0,
    padding: 0,
  },
  legendItem: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalXS },
  swatch: {
    display: "inline-block",
    width: "16px",
    height: "16px",
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke1}`,
  },
  error: { color: tokens.colorPaletteRedForeground1 },
});

const legendStates: CellState[] = [
  "free",
  "busy",
  "tentative",
  "oof",
  "workingElsewhere",
  "outside",
  "unknown",
];

export function AvailabilityGrid({
  windowStart,
  intervalMinutes,
  rows,
  timeZone,
  locale,
  highlight,
}: AvailabilityGridProps) {
  const styles = useStyles();
  const { t } = useTranslation();
  const cells = rows[0]?.view.length ?? 0;
  const step = intervalMinutes * 60_000;
  // Group the intervals by calendar day in the organizer's zone.
  const days: { date: string; first: number; last: number }[] = [];
  for (let i = 0; i < cells; i++) {
    const date = isoDateInZone(windowStart + i * step, timeZone);
    const current = days[days.length - 1];
    if (current && current.date === date) current.last = i;
    else days.push({ date, first: i, last: i });
  }
  const highlightDay = highlight ? isoDateInZone(highlight.start, timeZone) : undefined;
  const [chosen, setChosen] = useState<string | undefined>(undefined);
  const dayDate = chosen ?? highlightDay ?? days[0]?.date;
  const day = days.find((d) => d.date === dayDate) ?? days[0];
  if (!day) return null;
  // Show the part of the day where anyone is inside working hours, with an hour of margin.
  let from = day.first;
  let to = day.last;
  // Rooms have no working hours: only people decide which part of the day is shown.
  const people = rows.some((r) => r.role !== "room") ? rows.filter((r) => r.role !== "room") : rows;
  const inside = (i: number) => people.some((r) => r.view[i] !== "5");
  while (from < to && !inside(from)) from++;
  while (to > from && !inside(to)) to--;
  const perHour = Math.max(1, Math.round(60 / intervalMinutes));
  from = Math.max(day.first, from - perHour);
  to = Math.min(day.last, to + perHour);
  const indices: number[] = [];
  for (let i = from; i <= to; i++) indices.push(i);
  // Whole hours in the organizer's zone (zones such as Asia/Kolkata are offset by half an hour).
  const minuteOf = new Intl.DateTimeFormat("en-US", { minute: "numeric", timeZone });
  const isHourStart = (i: number) => Number(minuteOf.format(windowStart + i * step)) === 0;
  const hours = indices.filter(isHourStart);

  return (
    <div className={styles.root}>
      <div className={styles.days} role="toolbar" aria-label={t("schedule.gridHeading")}>
        {days.map((d) => (
          <Button
            key={d.date}
            size="small"
            appearance={d.date === day.date ? "primary" : "secondary"}
            aria-pressed={d.date === day.date}
            onClick={() => setChosen(d.date)}
          >
            {formatDate(windowStart + d.first * step, locale, timeZone)}
          </Button>
        ))}
      </div>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard. */}
      <section className={styles.scroller} aria-label={t("schedule.gridHeading")} tabIndex={0}>
        <table className={styles.table}>
          <caption className={styles.caption}>
            {t("schedule.gridCaption", { zone: timeZone })} —{" "}
            {formatDate(windowStart + day.first * step, locale, timeZone)}
          </caption>
          <thead>
            <tr>
              <td className={styles.rowHeader} />
              {indices.map((i) =>
                isHourStart(i) ? (
                  <th key={i} scope="col" className={styles.hour} colSpan={Math.min(perHour, to - i + 1)}>
                    {formatTime(windowStart + i * step, locale, timeZone)}
                  </th>
                ) : i === from && hours[0] !== i ? (
                  <td key={i} colSpan={(hours[0] ?? to + 1) - i} />
                ) : null,
              )}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.id}>
                <th scope="row" className={styles.rowHeader}>
                  {row.label}
                  {row.error ? <div className={styles.error}>{row.error}</div> : null}
                </th>
                {indices.map((i) => {
                  const state = codeToState[row.view[i] ?? "9"] ?? "unknown";
                  const start = windowStart + i * step;
                  const lit = highlight && start >= highlight.start && start < highlight.end;
                  return (
                    <td
                      key={i}
                      className={mergeClasses(
                        styles.cell,
                        styles[state],
                        isHourStart(i) && styles.hourStart,
                        lit && styles.highlighted,
                      )}
                      title={`${formatTime(start, locale, timeZone)} ${t(`legend.${state}`)}`}
                      aria-label={`${row.label}, ${formatTime(start, locale, timeZone)}: ${t(`legend.${state}`)}`}
                    />
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <ul className={styles.legend} aria-label={t("legend.title")}>
        {legendStates.map((s) => (
          <li key={s} className={styles.legendItem}>
            <span className={mergeClasses(styles.swatch, styles[s])} aria-hidden />
            <Caption1>{t(`legend.${s}`)}</Caption1>
          </li>
        ))}
      </ul>
    </div>
  );
}
