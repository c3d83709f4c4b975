/** The audit log: who did what, when. */
import {
  makeStyles,
  Subtitle1,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  tokens,
} from "@fluentui/react-components";
import { useTranslation } from "react-i18next";
import { formatDateTime } from "../format.ts";
import { useTabEnvironment } from "../shared/context.ts";
import { useMe } from "../shared/me.ts";
import { EmptyState, ErrorState, Loading } from "../shared/StateViews.tsx";
import { useAsync } from "../shared/useAsync.ts";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM, maxWidth: "1100px" },
});

export function AuditSection() {
  const styles = useStyles();
  const { t } = useTranslation();
  const { api, locale, timeZone } = useTabEnvironment();
  const audit = useAsync((signal) => api.audit.list(signal), [api]);
  const { me } = useMe();
  // Names for the ids the log holds: the signed-in admin and everyone holding or having held a seat here.
  const names = useAsync(
    async (signal) => {
      const overview = await api.seats.overview(signal);
      return new Map(overview.seats.map((s) => [s.userId, s.displayName ?? s.upn ?? s.userId]));
    },
    [api],
  );
  const nameOf = (id: string | null) => {
    if (id === null) return "Quorum";
    if (id === me.actor.userId) return `${me.actor.displayName} (${t("schedule.you")})`;
    return (names.status === "ready" ? names.data.get(id) : undefined) ?? id;
  };
  return (
    <section className={styles.root} aria-labelledby="audit-heading">
      <Subtitle1 as="h2" id="audit-heading">
        {t("admin.auditHeading")}
      </Subtitle1>
      {audit.status === "loading" ? <Loading /> : null}
      {audit.status === "failed" ? <ErrorState error={audit.error} onRetry={audit.reload} /> : null}
      {audit.status === "ready" && audit.data.entries.length === 0 ? (
        <EmptyState>{t("admin.noAudit")}</EmptyState>
      ) : null}
      {audit.status === "ready" && audit.data.entries.length > 0 ? (
        <Table size="small" aria-label={t("admin.auditHeading")}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell>{t("admin.when")}</TableHeaderCell>
              <TableHeaderCell>{t("admin.who")}</TableHeaderCell>
              <TableHeaderCell>{t("admin.what")}</TableHeaderCell>
              <TableHeaderCell>{t("admin.reason")}</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {audit.data.entries.map((e) => (
              <TableRow key={e.auditId}>
                <TableCell>{formatDateTime(Date.parse(e.at), locale, timeZone)}</TableCell>
                <TableCell>{nameOf(e.actorUserId)}</TableCell>
                <TableCell>
                  {e.action}
                  {e.targetId
                    ? ` · ${e.targetType === "tenant" ? (me.tenant?.displayName ?? e.targetId) : nameOf(e.targetId)}`
                    : ""}
                </TableCell>
                <TableCell>{e.reason ?? ""}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      ) : null}
    </section>
  );
}
