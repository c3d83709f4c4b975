/** The audit log: who did what, when. */
import { makeStyles, Subtitle1, tokens } from "@fluentui/react-components";
import { useTranslation } from "react-i18next";
import { formatDateTime } from "../format.ts";
import { useTabEnvironment } from "../shared/context.ts";
import { useMe } from "../shared/me.ts";
import { useAsync } from "../shared/useAsync.ts";
import { SectionTable } from "./SectionTable.tsx";

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
      <SectionTable
        state={audit}
        rows={(data) => data.entries}
        label={t("admin.auditHeading")}
        columns={[t("admin.when"), t("admin.who"), t("admin.what"), t("admin.reason")]}
        rowKey={(e) => e.auditId}
        empty={t("admin.noAudit")}
        cells={(e) => [
          formatDateTime(Date.parse(e.at), locale, timeZone),
          nameOf(e.actorUserId),
          `${e.action}${
            e.targetId
              ? ` · ${e.targetType === "tenant" ? (me.tenant?.displayName ?? e.targetId) : nameOf(e.targetId)}`
              : ""
          }`,
          e.reason ?? "",
        ]}
      />
    </section>
  );
}
