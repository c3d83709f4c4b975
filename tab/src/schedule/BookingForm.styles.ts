/** Styles of the booking form and the confirmation. */
import { makeStyles, tokens } from "@fluentui/react-components";

export const useBookingFormStyles = makeStyles({
  card: { padding: tokens.spacingHorizontalL, gap: tokens.spacingVerticalM, maxWidth: "640px" },
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  actions: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "center" },
  link: { wordBreak: "break-all" },
});
