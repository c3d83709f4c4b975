/** Styles of the user's meetings. */
import { makeStyles, tokens } from "@fluentui/react-components";
import { controlRow, sectionCard, sectionColumn, stackedList } from "../shared/styles.ts";

export const useMeetingsViewStyles = makeStyles({
  root: sectionColumn("860px"),
  list: stackedList(tokens.spacingVerticalM),
  card: sectionCard(tokens.spacingVerticalXS),
  actions: controlRow(tokens.spacingHorizontalS, "end"),
});
