/** Consent missing or lost: tell the user whom to ask (their admin, by name when known). */
import { makeStyles, tokens } from "@fluentui/react-components";
import { ApiError } from "../../../src/api-client/errors.ts";
import { adminName, useMe } from "./me.ts";
import { ErrorState } from "./StateViews.tsx";

const useStyles = makeStyles({ root: { marginBottom: tokens.spacingVerticalL } });

export function TenantNotice() {
  const styles = useStyles();
  const { me } = useMe();
  const status = me.tenant?.status ?? "pending";
  if (status === "consented") return null;
  const code = status === "reconnect_needed" ? "RECONNECT_NEEDED" : "CONSENT_REQUIRED";
  return (
    <div className={styles.root}>
      <ErrorState error={new ApiError(403, code, code, undefined)} adminName={adminName(me)} />
    </div>
  );
}
