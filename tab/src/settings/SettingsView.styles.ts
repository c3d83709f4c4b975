/** Styles of the user's settings. */
import { makeStyles, tokens } from "@fluentui/react-components";
import { sectionCard, sectionColumn, stackedList } from "../shared/styles.ts";

export const useSettingsStyles = makeStyles({
  root: sectionColumn("760px"),
  card: sectionCard(),
  list: stackedList(),
  item: {
    display: "flex",
    alignItems: "center",
    justifyContent: "space-between",
    gap: tokens.spacingHorizontalM,
  },
  actions: { display: "flex", gap: tokens.spacingHorizontalS, flexShrink: 0 },
});
