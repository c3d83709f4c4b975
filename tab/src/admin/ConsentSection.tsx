/** Connection to Microsoft 365: consent status, "Grant admin consent" / "Reconnect". */
import {
  Badge,
  Body1,
  Button,
  Card,
  CardHeader,
  MessageBar,
  MessageBarBody,
  makeStyles,
  Subtitle1,
  tokens,
} from "@fluentui/react-components";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { formatDateTime } from "../format.ts";
import { useTabEnvironment } from "../shared/context.ts";
import { useMe } from "../shared/me.ts";
import { ErrorState } from "../shared/StateViews.tsx";

const useStyles = makeStyles({
  card: { maxWidth: "720px", padding: tokens.spacingHorizontalL, gap: tokens.spacingVerticalM },
  actions: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "center" },
});

const statusColor = {
  pending: "warning",
  consented: "success",
  reconnect_needed: "danger",
  disconnected: "subtle",
} as const;

export function useConsent() {
  const { api, openLink } = useTabEnvironment();
  const { me, reload } = useMe();
  const [state, setState] = useState<
    { status: "idle" } | { status: "starting" } | { status: "waiting" } | { status: "failed"; error: unknown }
  >({ status: "idle" });
  const waiting = state.status === "waiting";
  // While the admin consents in the browser, check the organization's status every few seconds.
  useEffect(() => {
    if (!waiting) return;
    const timer = setInterval(reload, 2000);
    return () => clearInterval(timer);
  }, [waiting, reload]);
  const status = me.tenant?.status ?? "pending";
  useEffect(() => {
    if (waiting && status === "consented") setState({ status: "idle" });
  }, [waiting, status]);
  return {
    me,
    status,
    state,
    start: () => {
      setState({ status: "starting" });
      api.consent.start("/tab/?view=admin").then(
        (r) => {
          openLink(r.consentUrl);
          setState({ status: "waiting" });
        },
        (error: unknown) => setState({ status: "failed", error }),
      );
    },
    check: reload,
  };
}

export function ConsentSection() {
  const styles = useStyles();
  const { t } = useTranslation();
  const { locale, timeZone } = useTabEnvironment();
  const consent = useConsent();
  const tenant = consent.me.tenant;
  const owner = consent.me.admins.find((a) => a.role === "owner");
  const needsAction = consent.status !== "consented";
  return (
    <section aria-labelledby="consent-heading">
      <Card className={styles.card}>
        <CardHeader
          header={
            <Subtitle1 as="h2" id="consent-heading">
              {t("admin.consentHeading")}
            </Subtitle1>
          }
          action={
            <Badge appearance="filled" color={statusColor[consent.status]} data-status={consent.status}>
              {t(`admin.status_${consent.status}`)}
            </Badge>
          }
        />
        <Body1>{t(`admin.status_${consent.status}`)}</Body1>
        {tenant?.consentedAt && owner ? (
          <Body1>
            {t("admin.consentedBy", {
              name: owner.displayName,
              date: formatDateTime(Date.parse(tenant.consentedAt), locale, timeZone),
            })}
          </Body1>
        ) : null}
        {tenant?.consentError?.explanation ? (
          <MessageBar intent="error">
            <MessageBarBody>{tenant.consentError.explanation}</MessageBarBody>
          </MessageBar>
        ) : null}
        {consent.state.status === "failed" ? <ErrorState error={consent.state.error} /> : null}
        <div className={styles.actions}>
          {needsAction ? (
            <Button
              appearance="primary"
              onClick={consent.start}
              disabled={consent.state.status === "starting"}
            >
              {consent.status === "pending" ? t("admin.grant") : t("admin.reconnect")}
            </Button>
          ) : null}
          {consent.state.status === "waiting" ? (
            <Button onClick={consent.check}>{t("app.retry")}</Button>
          ) : null}
        </div>
      </Card>
    </section>
  );
}
