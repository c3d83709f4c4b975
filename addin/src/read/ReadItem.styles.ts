/** Styles of the read surface. */
import { makeStyles, tokens } from "@fluentui/react-components";

export const useReadItemStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  days: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
});
