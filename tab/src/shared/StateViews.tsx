/** Designed loading, empty and error states shared by every view. */
import {
  Body1,
  Button,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
  Spinner,
  Subtitle2,
  tokens,
} from "@fluentui/react-components";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { isApiError } from "../../../src/api-client/errors.ts";

const useStyles = makeStyles({
  center: {
    display: "flex",
    flexDirection: "column",
    alignItems: "center",
    justifyContent: "center",
    gap: tokens.spacingVerticalM,
    padding: tokens.spacingVerticalXXL,
    textAlign: "center",
  },
  empty: {
    display: "flex",
    flexDirection: "column",
    alignItems: "flex-start",
    gap: tokens.spacingVerticalS,
    padding: tokens.spacingVerticalL,
    color: tokens.colorNeutralForeground2,
  },
});

export function Loading({ label }: { label?: string }) {
  const styles = useStyles();
  const { t } = useTranslation();
  return (
    <div className={styles.center}>
      <Spinner label={label ?? t("app.loading")} />
    </div>
  );
}

export function EmptyState({ title, children }: { title?: string; children?: ReactNode }) {
  const styles = useStyles();
  return (
    <div className={styles.empty}>
      {title ? <Subtitle2>{title}</Subtitle2> : null}
      {children}
    </div>
  );
}

export interface ErrorStateProps {
  error: unknown;
  onRetry?: () => void;
  /** Display name of a tenant admin, for "ask your admin <name>". */
  adminName?: string | undefined;
}

/** Maps an API failure to what the person can do about it. */
export function ErrorState({ error, onRetry, adminName }: ErrorStateProps) {
  const { t, i18n } = useTranslation();
  const code = isApiError(error) ? error.code : undefined;
  const requestId = isApiError(error) ? error.requestId : undefined;
  if (code === "CONSENT_REQUIRED") {
    return (
      <MessageBar intent="warning" layout="multiline">
        <MessageBarBody>
          <MessageBarTitle>{t("state.consentMissingTitle")}</MessageBarTitle>
          {adminName ? t("state.consentMissing", { admin: adminName }) : t("state.consentMissingNoName")}
        </MessageBarBody>
      </MessageBar>
    );
  }
  if (code === "RECONNECT_NEEDED") {
    return (
      <MessageBar intent="warning" layout="multiline">
        <MessageBarBody>
          <MessageBarTitle>{t("state.reconnectTitle")}</MessageBarTitle>
          {adminName ? t("state.reconnect", { admin: adminName }) : t("state.consentMissingNoName")}
        </MessageBarBody>
      </MessageBar>
    );
  }
  if (code === "SEAT_REQUIRED") {
    // The seat missing is either the caller's or, when booking for a colleague, the colleague's.
    const colleague = isApiError(error) ? error.details?.displayName : undefined;
    return (
      <MessageBar intent="info" layout="multiline">
        <MessageBarBody>
          {typeof colleague === "string" ? (
            <>
              <MessageBarTitle>{t("state.colleagueNoSeatTitle", { name: colleague })}</MessageBarTitle>
              {t("state.colleagueNoSeat", { name: colleague })}
            </>
          ) : (
            <>
              <MessageBarTitle>{t("state.noSeatTitle")}</MessageBarTitle>
              {t("state.noSeatAsk")}
            </>
          )}
        </MessageBarBody>
      </MessageBar>
    );
  }
  if (code === "PRECONDITION_FAILED") {
    return (
      <MessageBar intent="warning" layout="multiline">
        <MessageBarBody>
          <MessageBarTitle>{t("state.changedTitle")}</MessageBarTitle>
          {t("state.changed")}{" "}
          {onRetry ? (
            <Button size="small" onClick={onRetry}>
              {t("state.reload")}
            </Button>
          ) : null}
        </MessageBarBody>
      </MessageBar>
    );
  }
  const notBuilt = isApiError(error) && error.status === 404 && error.code === "NOT_FOUND";
  // Codes the catalogue words in the user's language (a seat rule by its reason, from the error's details);
  // the service's own message (which may name a field or a CSV line) otherwise.
  const details = isApiError(error) ? error.details : undefined;
  const reason = typeof details?.reason === "string" ? details.reason : undefined;
  const worded =
    reason && i18n.exists(`errors.${reason}`)
      ? t(`errors.${reason}`, details as Record<string, string>)
      : code && i18n.exists(`errors.${code}`)
        ? t(`errors.${code}`, details as Record<string, string>)
        : undefined;
  const message = notBuilt
    ? t("state.notAvailable")
    : (worded ?? (error instanceof Error ? error.message : String(error)));
  return (
    <MessageBar intent="error" layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>{t("app.errorTitle")}</MessageBarTitle>
        <Body1>{message}</Body1>
        {requestId ? <div>{t("app.requestId", { id: requestId })}</div> : null}
        {onRetry ? (
          <Button size="small" onClick={onRetry}>
            {t("app.retry")}
          </Button>
        ) : null}
      </MessageBarBody>
    </MessageBar>
  );
}
