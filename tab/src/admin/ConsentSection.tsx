/** Connection to Microsoft 365: consent status, "Grant admin consent" / "Reconnect". */
import {
  Badge,
  Body1,
  Button,
  Caption1,
  Card,
  CardHeader,
  MessageBar,
  MessageBarBody,
  makeStyles,
  Spinner,
  Subtitle1,
  tokens,
} from "@fluentui/react-components";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { TestConnectionResponse } from "../../../src/api-contract/identity.ts";
import { formatDateTime } from "../../../src/ui-shared/format.ts";
import { useTabEnvironment } from "../shared/context.ts";
import { useMe } from "../shared/me.ts";
import { ErrorState } from "../shared/StateViews.tsx";
import { stackedList } from "../shared/styles.ts";

const useStyles = makeStyles({
  card: { maxWidth: "720px", padding: tokens.spacingHorizontalL, gap: tokens.spacingVerticalM },
  actions: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "center" },
  test: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  probes: stackedList(),
  probe: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXXS },
  probeHead: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "center", flexWrap: "wrap" },
  subtle: { color: tokens.colorNeutralForeground2 },
});

const probeColor = { ok: "success", missing: "danger", failed: "warning", skipped: "subtle" } as const;

/**
 * "Test connection": tries each permission Quorum relies on against Microsoft 365 and lists, per permission,
 * whether it works and, when not, what to change in Entra.
 */
function ConnectionTest() {
  const styles = useStyles();
  const { t } = useTranslation();
  const { api } = useTabEnvironment();
  const { reload } = useMe();
  const [test, setTest] = useState<
    | { status: "idle" | "running" }
    | { status: "done"; result: TestConnectionResponse }
    | { status: "failed"; error: unknown }
  >({ status: "idle" });
  return (
    <div className={styles.test}>
      <div className={styles.actions}>
        <Button
          disabled={test.status === "running"}
          onClick={() => {
            setTest({ status: "running" });
            api.consent.test().then(
              (result) => {
                setTest({ status: "done", result });
                // A passing test clears "Reconnect needed".
                reload();
              },
              (error: unknown) => setTest({ status: "failed", error }),
            );
          }}
        >
          {t("admin.testConnection")}
        </Button>
        {test.status === "running" ? <Spinner size="tiny" label={t("admin.testing")} /> : null}
        {test.status === "done" ? (
          <Body1 role="status">{test.result.ok ? t("admin.testPassed") : t("admin.testFailed")}</Body1>
        ) : null}
      </div>
      {test.status === "failed" ? <ErrorState error={test.error} /> : null}
      {test.status === "done" ? (
        <ul className={styles.probes} aria-label={t("admin.testConnection")}>
          {test.result.probes.map((p) => (
            <li key={p.name} className={styles.probe} data-probe={p.name} data-probe-status={p.status}>
              <div className={styles.probeHead}>
                <Body1>{t(`admin.probe_${p.name}`)}</Body1>
                <Caption1 className={styles.subtle}>{p.permission}</Caption1>
                <Badge appearance="tint" color={probeColor[p.status]}>
                  {t(`admin.probeStatus_${p.status}`)}
                </Badge>
              </div>
              {p.status !== "ok" && p.detail ? (
                <Caption1 className={styles.subtle}>{p.detail}</Caption1>
              ) : null}
              {p.status !== "ok" && p.fix ? <Caption1>{p.fix}</Caption1> : null}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

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
              {t(`admin.statusShort_${consent.status}`)}
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
        {consent.status !== "pending" ? <ConnectionTest /> : null}
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
