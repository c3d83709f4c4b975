/** Styles of the Invitations section. */
import { makeStyles, tokens } from "@fluentui/react-components";
import { controlRow, sectionCard, sectionColumn } from "../shared/styles.ts";

export const useInvitationsStyles = makeStyles({
  root: sectionColumn("1100px"),
  card: sectionCard(),
  form: controlRow(tokens.spacingHorizontalL, "end"),
  picker: { minWidth: "320px", flexGrow: 1, maxWidth: "480px" },
  fieldset: { border: "none", margin: 0, padding: 0, minWidth: 0 },
  legend: {
    padding: 0,
    paddingBottom: tokens.spacingVerticalXXS,
    fontFamily: tokens.fontFamilyBase,
    fontSize: tokens.fontSizeBase300,
    lineHeight: tokens.lineHeightBase300,
    color: tokens.colorNeutralForeground1,
  },
  kinds: { display: "flex", gap: tokens.spacingHorizontalS },
  badges: { display: "flex", gap: tokens.spacingHorizontalXS, flexWrap: "wrap" },
});
