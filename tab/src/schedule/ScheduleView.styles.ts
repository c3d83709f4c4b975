/** Styles of the Schedule view (the search form and its results). */
import { makeStyles, tokens } from "@fluentui/react-components";

export const useScheduleViewStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalL },
  heading: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXXS },
  zone: { color: tokens.colorNeutralForeground2 },
  form: {
    display: "grid",
    gridTemplateColumns: "repeat(auto-fit, minmax(200px, 1fr))",
    gap: tokens.spacingHorizontalM,
    // Fields line up by their labels; the room's "seats everyone" box sits under the room.
    alignItems: "start",
    // Grid items may shrink below their inputs' natural width, so no field spills into the next one.
    "& > *": { minWidth: 0 },
    padding: tokens.spacingHorizontalL,
    backgroundColor: tokens.colorNeutralBackground1,
    borderRadius: tokens.borderRadiusLarge,
    boxShadow: tokens.shadow4,
  },
  wide: { gridColumn: "1 / -1" },
  room: {
    gridColumn: "span 2",
    display: "flex",
    flexDirection: "column",
    "@media (max-width: 520px)": { gridColumn: "auto" },
  },
  // Fluent's dropdowns ask for 250px; in the form's columns they take the column's width instead.
  control: { minWidth: 0 },
  submit: { gridColumn: "1 / -1", justifySelf: "start" },
  results: {
    display: "grid",
    gridTemplateColumns: "minmax(0, 2fr) minmax(280px, 1fr)",
    gap: tokens.spacingHorizontalL,
    alignItems: "start",
    // Grid items may shrink below their inputs' natural width, so no field spills into the next one.
    "& > *": { minWidth: 0 },
    "@media (max-width: 900px)": { gridTemplateColumns: "minmax(0, 1fr)" },
  },
});
