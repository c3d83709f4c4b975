/** Style fragments the views share (spread into their `makeStyles`). */
import type { GriffelStyle } from "@fluentui/react-components";
import { tokens } from "@fluentui/react-components";

/** A `<ul>` without bullets or indent whose items stack with the given gap. */
export const stackedList = (gap: string = tokens.spacingVerticalS): GriffelStyle => ({
  listStyleType: "none",
  margin: 0,
  padding: 0,
  display: "flex",
  flexDirection: "column",
  gap,
});
