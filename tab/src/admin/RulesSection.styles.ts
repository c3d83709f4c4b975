/** Styles of the group rules section. */
import { makeStyles, tokens } from "@fluentui/react-components";
import { controlRow, sectionCard, sectionColumn } from "../shared/styles.ts";

export const useRulesStyles = makeStyles({
  root: sectionColumn("1100px"),
  card: sectionCard(),
  form: controlRow(tokens.spacingHorizontalM, "end"),
  row: controlRow(),
  group: { minWidth: "300px" },
  priority: { width: "120px" },
  option: { display: "flex", flexDirection: "column" },
  count: { color: tokens.colorNeutralForeground2 },
});
