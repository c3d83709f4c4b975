/** Styles of appointment compose. */
import { makeStyles, tokens } from "@fluentui/react-components";

export const useAppointmentComposeStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  people: { color: tokens.colorNeutralForeground2 },
  room: { display: "flex", flexDirection: "column" },
});
