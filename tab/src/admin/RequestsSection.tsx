/** Join requests to approve or deny, each with a reason the requester reads. */
import { Button, Input, makeStyles, tokens } from "@fluentui/react-components";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { formatDateTime } from "../../../src/ui-shared/format.ts";
import { useAsync } from "../../../src/ui-shared/useAsync.ts";
import { useTabEnvironment } from "../shared/context.ts";
import { ErrorState } from "../shared/StateViews.tsx";
import { controlRow, sectionColumn } from "../shared/styles.ts";
import { AdminSection } from "./AdminSection.tsx";
import { SectionTable } from "./SectionTable.tsx";

const useStyles = makeStyles({
  root: sectionColumn("1100px", tokens.spacingVerticalM),
  actions: controlRow(tokens.spacingHorizontalXS),
});

export function RequestsSection() {
  const styles = useStyles();
  const { t } = useTranslation();
  const { api, locale, timeZone } = useTabEnvironment();
  const requests = useAsync((signal) => api.joinRequests.list("pending", signal), [api], {
    keepDataWhileReloading: true,
  });
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(undefined);
  return (
    <AdminSection name="requests" heading={t("admin.requestsHeading")} className={styles.root}>
      {error ? <ErrorState error={error} /> : null}
      <SectionTable
        state={requests}
        rows={(data) => data.requests}
        label={t("admin.requestsHeading")}
        columns={[
          t("admin.name"),
          t("admin.requestedSeats"),
          t("admin.message"),
          t("admin.when"),
          t("admin.action"),
        ]}
        rowKey={(r) => r.requestId}
        empty={t("admin.noRequests")}
        cells={(r) => {
          const reason = reasons[r.requestId] ?? "";
          const decide = (approve: boolean) => {
            setError(undefined);
            (approve ? api.joinRequests.approve : api.joinRequests.deny)(r.requestId, reason).then(
              requests.reload,
              setError,
            );
          };
          return [
            r.displayName ?? r.upn ?? r.userId,
            r.seatKinds.map((k) => t(`admin.kind_${k}`)).join(", "),
            r.message ?? "",
            formatDateTime(Date.parse(r.createdAt), locale, timeZone),
            <div key="actions" className={styles.actions}>
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
            </div>,
          ];
        }}
      />
    </AdminSection>
  );
}
