/** Join requests to approve or deny, and the invitations sent. */
import {
  Button,
  Input,
  makeStyles,
  Subtitle1,
  Subtitle2,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  tokens,
} from "@fluentui/react-components";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { formatDateTime } from "../format.ts";
import { useTabEnvironment } from "../shared/context.ts";
import { EmptyState, ErrorState, Loading } from "../shared/StateViews.tsx";
import { useAsync } from "../shared/useAsync.ts";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM, maxWidth: "1100px" },
  actions: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalXS, alignItems: "center" },
});

export function RequestsSection() {
  const styles = useStyles();
  const { t } = useTranslation();
  const { api, locale, timeZone } = useTabEnvironment();
  const requests = useAsync((signal) => api.joinRequests.list("pending", signal), [api], {
    keepDataWhileReloading: true,
  });
  const invitations = useAsync((signal) => api.invitations.list(signal), [api]);
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(undefined);
  return (
    <section className={styles.root} aria-labelledby="requests-heading">
      <Subtitle1 as="h2" id="requests-heading">
        {t("admin.requestsHeading")}
      </Subtitle1>
      {error ? <ErrorState error={error} /> : null}
      {requests.status === "loading" ? <Loading /> : null}
      {requests.status === "failed" ? <ErrorState error={requests.error} onRetry={requests.reload} /> : null}
      {requests.status === "ready" && requests.data.requests.length === 0 ? (
        <EmptyState>{t("admin.noRequests")}</EmptyState>
      ) : null}
      {requests.status === "ready" && requests.data.requests.length > 0 ? (
        <Table size="small" aria-label={t("admin.requestsHeading")}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell>{t("admin.name")}</TableHeaderCell>
              <TableHeaderCell>{t("admin.requestedSeats")}</TableHeaderCell>
              <TableHeaderCell>{t("admin.message")}</TableHeaderCell>
              <TableHeaderCell>{t("admin.when")}</TableHeaderCell>
              <TableHeaderCell>{t("admin.action")}</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {requests.data.requests.map((r) => {
              const reason = reasons[r.requestId] ?? "";
              const decide = (approve: boolean) => {
                setError(undefined);
                (approve ? api.joinRequests.approve : api.joinRequests.deny)(r.requestId, reason).then(
                  requests.reload,
                  setError,
                );
              };
              return (
                <TableRow key={r.requestId}>
                  <TableCell>{r.displayName ?? r.upn ?? r.userId}</TableCell>
                  <TableCell>{r.seatKinds.map((k) => t(`admin.kind_${k}`)).join(", ")}</TableCell>
                  <TableCell>{r.message ?? ""}</TableCell>
                  <TableCell>{formatDateTime(Date.parse(r.createdAt), locale, timeZone)}</TableCell>
                  <TableCell>
                    <div className={styles.actions}>
                      <Input
                        size="small"
                        aria-label={t("admin.decisionReason")}
                        placeholder={t("admin.decisionReason")}
                        value={reason}
                        onChange={(_e, d) => setReasons((prev) => ({ ...prev, [r.requestId]: d.value }))}
                      />
                      <Button
                        size="small"
                        appearance="primary"
                        disabled={!reason.trim()}
                        onClick={() => decide(true)}
                      >
                        {t("admin.approve")}
                      </Button>
                      <Button size="small" disabled={!reason.trim()} onClick={() => decide(false)}>
                        {t("admin.deny")}
                      </Button>
                    </div>
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      ) : null}
      <Subtitle2 as="h3">{t("admin.invitationsHeading")}</Subtitle2>
      {invitations.status === "loading" ? <Loading /> : null}
      {invitations.status === "failed" ? (
        <ErrorState error={invitations.error} onRetry={invitations.reload} />
      ) : null}
      {invitations.status === "ready" && invitations.data.invitations.length === 0 ? (
        <EmptyState>{t("admin.noInvitations")}</EmptyState>
      ) : null}
      {invitations.status === "ready" && invitations.data.invitations.length > 0 ? (
        <Table size="small" aria-label={t("admin.invitationsHeading")}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell>{t("admin.name")}</TableHeaderCell>
              <TableHeaderCell>{t("admin.roles")}</TableHeaderCell>
              <TableHeaderCell>{t("admin.state")}</TableHeaderCell>
              <TableHeaderCell>{t("admin.when")}</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {invitations.data.invitations.map((i) => (
              <TableRow key={i.invitationId}>
                <TableCell>{i.displayName ?? i.upn ?? i.userId}</TableCell>
                <TableCell>{i.role}</TableCell>
                <TableCell>{i.state}</TableCell>
                <TableCell>{formatDateTime(Date.parse(i.createdAt), locale, timeZone)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      ) : null}
    </section>
  );
}
