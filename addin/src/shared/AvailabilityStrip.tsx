/**
 * A compact availability strip: one row per person over part of a day, one cell per grid interval,
 * coloured by free/busy, with the proposed meeting time outlined.
 */
import { makeStyles, mergeClasses, tokens } from "@fluentui/react-components";
import { formatHour } from "../../../src/ui-shared/format.ts";
import type { Availability, GridCell } from "../quorum.ts";
import { strings } from "../strings.ts";
import { usePane } from "./pane.ts";

const useStyles = makeStyles({
  table: { borderCollapse: "separate", borderSpacing: "1px", width: "100%", tableLayout: "fixed" },
  caption: {
    textAlign: "start",
    fontWeight: tokens.fontWeightSemibold,
    fontSize: tokens.fontSizeBase200,
    paddingBottom: tokens.spacingVerticalXS,
  },
  name: {
    width: "96px",
    fontSize: tokens.fontSizeBase200,
    fontWeight: tokens.fontWeightRegular,
    textAlign: "start",
    whiteSpace: "nowrap",
    overflow: "hidden",
    textOverflow: "ellipsis",
    paddingRight: tokens.spacingHorizontalXS,
  },
  hour: {
    fontSize: tokens.fontSizeBase100,
    color: tokens.colorNeutralForeground3,
    fontWeight: tokens.fontWeightRegular,
    textAlign: "start",
    overflow: "visible",
    whiteSpace: "nowrap",
  },
  cell: { height: "16px", padding: 0, borderRadius: tokens.borderRadiusSmall },
  free: { backgroundColor: tokens.colorPaletteGreenBackground2 },
  tentative: { backgroundColor: tokens.colorPaletteYellowBackground2 },
  busy: { backgroundColor: tokens.colorPaletteRedBackground3 },
  oof: { backgroundColor: tokens.colorPaletteBerryBackground3 },
  elsewhere: { backgroundColor: tokens.colorPaletteLightTealBackground2 },
  outside: { backgroundColor: tokens.colorNeutralBackground5 },
  unknown: {
    backgroundImage: `repeating-linear-gradient(45deg, ${tokens.colorNeutralStroke1} 0 2px, transparent 2px 5px)`,
    backgroundColor: tokens.colorNeutralBackground3,
  },
  selected: { outline: `2px solid ${tokens.colorBrandStroke1}`, outlineOffset: "-1px" },
  legend: {
    display: "flex",
    flexWrap: "wrap",
    gap: tokens.spacingHorizontalS,
    fontSize: tokens.fontSizeBase100,
    color: tokens.colorNeutralForeground2,
    marginTop: tokens.spacingVerticalXS,
  },
  swatch: {
    display: "inline-block",
    width: "10px",
    height: "10px",
    marginRight: "3px",
    borderRadius: "2px",
    verticalAlign: "middle",
  },
});

const cellLabel = (): Record<GridCell, string> => ({
  "0": strings.legendFree,
  "1": strings.legendTentative,
  "2": strings.legendBusy,
  "3": strings.legendOof,
  "4": strings.legendElsewhere,
  "5": strings.legendOutside,
  "9": strings.legendUnknown,
});

export interface AvailabilityStripProps {
  availability: Availability;
  /** Display names by lower-case address. */
  names: ReadonlyMap<string, string>;
  /** The part of the window shown, UTC epoch ms. */
  from: number;
  to: number;
  caption: string;
  highlight?: { start: number; end: number } | null;
}

export function AvailabilityStrip(props: AvailabilityStripProps) {
  const styles = useStyles();
  const { locale, timeZone } = usePane();
  const { availability, from, to } = props;
  const step = availability.intervalMinutes * 60_000;
  const first = Math.max(0, Math.floor((from - availability.window.start) / step));
  const last = Math.min(
    Math.ceil((to - availability.window.start) / step),
    Math.floor((availability.window.end - availability.window.start) / step),
  );
  const indices = Array.from({ length: Math.max(0, last - first) }, (_, i) => first + i);
  const cellStart = (i: number) => availability.window.start + i * step;
  const classFor = (c: string) =>
    c === "0"
      ? styles.free
      : c === "1"
        ? styles.tentative
        : c === "2"
          ? styles.busy
          : c === "3"
            ? styles.oof
            : c === "4"
              ? styles.elsewhere
              : c === "5"
                ? styles.outside
                : styles.unknown;
  const labels = cellLabel();
  const perHourLabel = Math.max(1, Math.round((2 * 60) / availability.intervalMinutes));

  return (
    <div>
      <table className={styles.table}>
        <caption className={styles.caption}>{props.caption}</caption>
        <thead>
          <tr>
            <th className={styles.name} scope="col" />
            {indices.map((i, n) => (
              <th key={i} className={styles.hour} scope="col">
                {n % perHourLabel === 0 ? formatHour(cellStart(i), locale, timeZone) : ""}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {availability.people.map((person) => {
            const name = props.names.get(person.email.toLowerCase()) ?? person.email;
            return (
              <tr key={`${person.role}:${person.email}`}>
                <th
                  className={styles.name}
                  scope="row"
                  title={person.error ? `${name}: ${strings.calendarUnreadable}` : name}
                >
                  {name}
                </th>
                {indices.map((i) => {
                  const c = (person.error ? "9" : (person.view[i] ?? "9")) as GridCell;
                  const start = cellStart(i);
                  const inSlot =
                    props.highlight && start < props.highlight.end && start + step > props.highlight.start;
                  return (
                    <td
                      key={i}
                      className={mergeClasses(styles.cell, classFor(c), inSlot ? styles.selected : undefined)}
                      title={`${name}, ${formatHour(start, locale, timeZone)}: ${labels[c] ?? strings.legendUnknown}`}
                      data-state={c}
                    />
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className={styles.legend} aria-hidden="true">
        <span>
          <span className={mergeClasses(styles.swatch, styles.free)} />
          {strings.legendFree}
        </span>
        <span>
          <span className={mergeClasses(styles.swatch, styles.tentative)} />
          {strings.legendTentative}
        </span>
        <span>
          <span className={mergeClasses(styles.swatch, styles.busy)} />
          {strings.legendBusy}
        </span>
        <span>
          <span className={mergeClasses(styles.swatch, styles.outside)} />
          {strings.legendOutside}
        </span>
        <span>
          <span className={mergeClasses(styles.swatch, styles.unknown)} />
          {strings.legendUnknown}
        </span>
      </div>
    </div>
  );
}
