/** Seat pools with used/available, the licence totals, and the directory import. */
import {
  Body1,
  Button,
  Caption1,
  Card,
  CardHeader,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
  ProgressBar,
  Subtitle2,
  tokens,
} from "@fluentui/react-components";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Pool } from "../../../src/api-contract/seats.ts";
import { formatDateTime } from "../../../src/ui-shared/format.ts";
import { useAction } from "../../../src/ui-shared/useAction.ts";
import { useAsync } from "../../../src/ui-shared/useAsync.ts";
import { useTabEnvironment } from "../shared/context.ts";
import { ErrorState, Loading } from "../shared/StateViews.tsx";
import { sectionColumn } from "../shared/styles.ts";
import { AdminSection } from "./AdminSection.tsx";

const useStyles = makeStyles({
  root: sectionColumn("900px"),
  pools: {
    display: "grid",
    gridTemplateColumns: "repeat(auto-fit, minmax(280px, 1fr))",
    gap: tokens.spacingHorizontalL,
  },
  card: { padding: tokens.spacingHorizontalL },
  row: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "end" },
  directory: { alignSelf: "center", color: tokens.colorNeutralForeground2 },
});

export function SeatsSection() {
  const styles = useStyles();
  const { t } = useTranslation();
  const { api, locale, timeZone } = useTabEnvironment();
  const overview = useAsync((signal) => api.seats.summary(signal), [api], { keepDataWhileReloading: true });
  const [sync, setSync] = useState<
    | { status: "idle" | "running" }
    | { status: "done"; users: number; groups: number }
    | { status: "failed"; error: unknown }
  >({ status: "idle" });
  return (
    <AdminSection name="seats" heading={t("admin.seatsHeading")} className={styles.root}>
      <div className={styles.row}>
        <Button
          disabled={sync.status === "running"}
          onClick={() => {
            setSync({ status: "running" });
            api.seats.syncDirectory().then(
              (r) => {
                setSync({ status: "done", users: r.users, groups: r.groups });
                overview.reload();
              },
              (error: unknown) => setSync({ status: "failed", error }),
            );
          }}
        >
          {t("admin.syncDirectory")}
        </Button>
        {overview.status === "ready" ? (
          <Caption1
            className={styles.directory}
            data-directory-imported={overview.data.directory.lastImportedAt ?? ""}
          >
            {overview.data.directory.lastImportedAt
              ? t("admin.directoryLast", {
                  when: formatDateTime(Date.parse(overview.data.directory.lastImportedAt), locale, timeZone),
                })
              : t("admin.directoryNever")}
            {overview.data.directory.scheduled ? ` ${t("admin.directoryScheduled")}` : ""}
          </Caption1>
        ) : null}
      </div>
      {sync.status === "done" ? (
        <MessageBar intent="success">
          <MessageBarBody>
            {t("admin.directorySynced", { users: sync.users, groups: sync.groups })}
          </MessageBarBody>
        </MessageBar>
      ) : null}
      {sync.status === "failed" ? <ErrorState error={sync.error} /> : null}
      {overview.status === "ready" && overview.data.directory.lastError && sync.status === "idle" ? (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>
              {t("admin.directoryFailedTitle", {
                when: formatDateTime(Date.parse(overview.data.directory.lastError.at), locale, timeZone),
              })}
            </MessageBarTitle>
            {overview.data.directory.lastError.message} {t("admin.directoryFailedHelp")}
          </MessageBarBody>
        </MessageBar>
      ) : null}
      {overview.status === "loading" ? <Loading /> : null}
      {overview.status === "failed" ? <ErrorState error={overview.error} onRetry={overview.reload} /> : null}
      {overview.status === "ready" ? (
        <div className={styles.pools}>
          {overview.data.pools.map((p) => (
            <PoolCard key={p.kind} pool={p} limit={overview.data.limits[p.kind]} onSaved={overview.reload} />
          ))}
        </div>
      ) : null}
    </AdminSection>
  );
}

function PoolCard({ pool, limit, onSaved }: { pool: Pool; limit: number; onSaved: () => void }) {
  const styles = useStyles();
  const { t } = useTranslation();
  const { api } = useTabEnvironment();
  const [total, setTotal] = useState(String(pool.total));
  const saving = useAction();
  return (
    <Card className={styles.card}>
      <CardHeader header={<Subtitle2 as="h3">{t(`admin.pool_${pool.kind}`)}</Subtitle2>} />
      <Body1>{t("admin.used", { used: pool.used, total: pool.total })}</Body1>
      <ProgressBar
        value={pool.total === 0 ? 0 : pool.used / pool.total}
        color={pool.available === 0 ? "error" : "brand"}
        aria-label={t("admin.used", { used: pool.used, total: pool.total })}
      />
      <Body1>{t("admin.available", { count: pool.available })}</Body1>
      <form
        className={styles.row}
        onSubmit={(e) => {
          e.preventDefault();
          void saving.run(() => api.seats.setPool(pool.kind, Number(total)), onSaved);
        }}
      >
        <Field label={t("admin.setTotal")}>
          <Input
            type="number"
            min={pool.used}
            max={limit}
            value={total}
            onChange={(_e, d) => setTotal(d.value)}
          />
        </Field>
        <Button type="submit" disabled={saving.busy || total === String(pool.total)}>
          {t("admin.saveTotal")}
        </Button>
      </form>
      {saving.error ? <ErrorState error={saving.error} /> : null}
    </Card>
  );
}
