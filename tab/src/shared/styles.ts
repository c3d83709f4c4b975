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

/** A view's or an admin section's column of parts, no wider than `maxWidth`. */
export const sectionColumn = (maxWidth: string, gap: string = tokens.spacingVerticalL): GriffelStyle => ({
  display: "flex",
  flexDirection: "column",
  gap,
  maxWidth,
});

/** A card of a section: padded, its parts a small gap apart. */
export const sectionCard = (gap: string = tokens.spacingVerticalS): GriffelStyle => ({
  padding: tokens.spacingHorizontalL,
  gap,
});

/** Controls side by side, wrapping on narrow panes; `align` "end" lines fields up by their inputs. */
export const controlRow = (
  gap: string = tokens.spacingHorizontalM,
  align: "center" | "end" = "center",
): GriffelStyle => ({
  display: "flex",
  gap,
  alignItems: align,
  flexWrap: "wrap",
});
