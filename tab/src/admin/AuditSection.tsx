/** The audit log: who did what, when. */
import { makeStyles, tokens } from "@fluentui/react-components";
import { useTranslation } from "react-i18next";
import type { AuditEntry } from "../../../src/api-contract/seats.ts";
import { formatDateTime } from "../../../src/ui-shared/format.ts";
import { useAsync } from "../../../src/ui-shared/useAsync.ts";
import { useTabEnvironment } from "../shared/context.ts";
import { useMe } from "../shared/me.ts";
import { sectionColumn } from "../shared/styles.ts";
import { AdminSection } from "./AdminSection.tsx";
import { SectionTable } from "./SectionTable.tsx";

const useStyles = makeStyles({
  root: sectionColumn("1100px", tokens.spacingVerticalM),
});

export function AuditSection() {
  const styles = useStyles();
  const { t } = useTranslation();
  const { api, locale, timeZone } = useTabEnvironment();
  const audit = useAsync((signal) => api.audit.list(signal), [api]);
  const { me } = useMe();
  const who = (e: AuditEntry) => {
    if (e.actorUserId === null) return "Quorum";
    const name = e.actorName ?? e.actorUserId;
    return e.actorUserId === me.actor.userId ? `${name} (${t("schedule.you")})` : name;
  };
  const what = (e: AuditEntry) => {
    const label = t(`audit.${e.action}`, { defaultValue: e.action });
    // A plan is named by its id only: the label says enough and the reason column carries the reference.
    const target =
      e.targetType === "tenant"
        ? (me.tenant?.displayName ?? e.targetId)
        : e.targetType === "topic" && e.targetId
          ? t(`auditTopic.${e.targetId.replaceAll(".", "_")}`, { defaultValue: e.targetId })
          : e.targetType === "plan"
            ? null
            : e.targetType === "pool" && (e.targetId === "calling" || e.targetId === "sync")
              ? t(`admin.kind_${e.targetId}`)
              : (e.targetName ?? e.targetId);
    return target ? `${label} · ${target}` : label;
  };
  return (
    <AdminSection name="audit" heading={t("admin.auditHeading")} className={styles.root}>
      <SectionTable
        state={audit}
        rows={(data) => data.entries}
        label={t("admin.auditHeading")}
        columns={[t("admin.when"), t("admin.who"), t("admin.what"), t("admin.reason")]}
        rowKey={(e) => e.auditId}
        empty={t("admin.noAudit")}
        cells={(e) => [formatDateTime(Date.parse(e.at), locale, timeZone), who(e), what(e), e.reason ?? ""]}
      />
    </AdminSection>
  );
}
