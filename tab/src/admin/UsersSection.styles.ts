/** Styles of the Users section. */
import { makeStyles, tokens } from "@fluentui/react-components";
import { controlRow, sectionColumn } from "../shared/styles.ts";

export const useUsersStyles = makeStyles({
  root: sectionColumn("1200px", tokens.spacingVerticalM),
  filters: controlRow(tokens.spacingHorizontalM, "end"),
  search: { minWidth: "280px" },
  dropdown: { minWidth: "160px" },
  person: { display: "flex", flexDirection: "column" },
  detail: { color: tokens.colorNeutralForeground2 },
  cell: controlRow(tokens.spacingHorizontalXS),
  paging: controlRow(tokens.spacingHorizontalS),
});
