/**
 * A seat plan under review: the licence summary, a row per person with its reason (sortable, filterable to
 * problems), then commit, start over, and undo once committed. Used by the CSV wizard and the group rules.
 */
import {
  Badge,
  Body1,
  Button,
  Caption1,
  Card,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
  Subtitle2,
  Switch,
  tokens,
} from "@fluentui/react-components";
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import type { PlanResponse } from "../../../src/api-contract/seats.ts";
import { DataTable } from "../shared/DataTable.tsx";
import { controlRow, sectionCard } from "../shared/styles.ts";
import { isProblem, type PlanReviewState, type SortKey, sortRows } from "./usePlanReview.ts";

const useStyles = makeStyles({
  card: sectionCard(),
  row: controlRow(),
  summary: { width: "auto" },
  problem: { backgroundColor: tokens.colorPaletteRedBackground1 },
  tableWrap: { maxHeight: "480px", overflowY: "auto" },
});

const actionColor = {
  add: "success",
  remove: "warning",
  keep: "informative",
  skip: "subtle",
  error: "danger",
  queue: "important",
} as const;

export interface PlanReviewProps {
  review: PlanReviewState;
  heading: string;
  /** Said once the plan was undone. */
  undoneText: string;
}

/** Renders nothing until a plan exists. */
export function PlanReview({ review, heading, undoneText }: PlanReviewProps) {
  const styles = useStyles();
  const { t } = useTranslation();
  const headingId = useId();
  const s = review.state;
  if (!("plan" in s)) return null;
  const busy = s.step === "committing" || s.step === "undoing";
  const summary = s.plan.plan.summary;
  const shownLines = summary.problemLines.join(", ");
  const lines = summary.problemLines.length < summary.errors ? `${shownLines}, …` : shownLines;
  const changes = summary.kinds.reduce((n, k) => n + k.newMatchingEmails + k.usersToRemove, 0);
  return (
    <Card className={styles.card} role="region" aria-labelledby={headingId}>
      <Subtitle2 as="h3" id={headingId}>
        {heading}
      </Subtitle2>
      <PlanSummary plan={s.plan} />
      <PlanRows plan={s.plan} label={heading} />
      <div className={styles.row}>
        {s.step === "confirming" ? (
          <>
            <MessageBar intent="warning" layout="multiline">
              <MessageBarBody>
                <MessageBarTitle>{t("admin.confirmSkipTitle", { count: summary.errors })}</MessageBarTitle>
                {t("admin.confirmSkip", { changes, count: summary.errors, lines })}
              </MessageBarBody>
            </MessageBar>
            <Button appearance="primary" onClick={() => void review.commit()}>
              {t("admin.commitSkipping", { changes, count: summary.errors })}
            </Button>
            <Button onClick={review.cancelCommit}>{t("admin.cancel")}</Button>
          </>
        ) : null}
        {s.step === "preview" || s.step === "committing" ? (
          <>
            <Button appearance="primary" disabled={busy} onClick={() => void review.commit()}>
              {t("admin.commit")}
            </Button>
            <Button disabled={busy} onClick={review.reset}>
              {t("admin.discard")}
            </Button>
          </>
        ) : null}
        {s.step === "committed" || s.step === "undoing" ? (
          <>
            <MessageBar intent="success">
              <MessageBarBody>{t("admin.committed")}</MessageBarBody>
            </MessageBar>
            <Button disabled={busy} onClick={() => void review.undo()}>
              {t("admin.undo")}
            </Button>
          </>
        ) : null}
        {s.step === "undone" ? (
          <>
            <MessageBar intent="info">
              <MessageBarBody>{undoneText}</MessageBarBody>
            </MessageBar>
            <Button onClick={review.reset}>{t("admin.discard")}</Button>
          </>
        ) : null}
      </div>
    </Card>
  );
}

const summaryFields = [
  "licencesAvailable",
  "totalLicences",
  "newMatchingEmails",
  "usersToRemove",
  "totalUsersAfterSync",
  "kept",
  "waiting",
] as const;

function PlanSummary({ plan }: { plan: PlanResponse }) {
  const styles = useStyles();
  const { t } = useTranslation();
  const kinds = plan.plan.summary.kinds;
  return (
    <>
      <DataTable
        className={styles.summary}
        label={t("admin.summary")}
        columns={[t("admin.summary"), ...kinds.map((k) => t(`admin.kind_${k.kind}`))]}
        rows={summaryFields}
        rowKey={(f) => f}
        cells={(f) => [t(`admin.${f}`), ...kinds.map((k) => k[f])]}
      />
      <Body1>{t("admin.errorsCount", { count: plan.plan.summary.errors + plan.plan.summary.skipped })}</Body1>
    </>
  );
}

const columns: SortKey[] = ["line", "email", "kind", "action", "reason"];
const columnLabel: Record<SortKey, string> = {
  line: "admin.line",
  email: "admin.email",
  kind: "admin.kind",
  action: "admin.action",
  reason: "admin.reason",
};

function PlanRows({ plan, label }: { plan: PlanResponse; label: string }) {
  const styles = useStyles();
  const { t } = useTranslation();
  const [onlyProblems, setOnlyProblems] = useState(false);
  const [sort, setSort] = useState<{ key: SortKey; direction: "ascending" | "descending" }>({
    key: "line",
    direction: "ascending",
  });
  const visible = sortRows(onlyProblems ? plan.rows.filter(isProblem) : plan.rows, sort.key, sort.direction);
  return (
    <>
      <div className={styles.row}>
        <Switch
          label={t("admin.onlyProblems")}
          checked={onlyProblems}
          onChange={(_e, d) => setOnlyProblems(d.checked)}
        />
        <Caption1>{t("admin.showing", { shown: visible.length, total: plan.totalRows })}</Caption1>
      </div>
      {onlyProblems && visible.length === 0 ? <Body1>{t("admin.noProblems")}</Body1> : null}
      <div className={styles.tableWrap}>
        <DataTable
          label={label}
          sortable
          columns={columns.map((c) => ({
            header: t(columnLabel[c]),
            sortDirection: sort.key === c ? sort.direction : undefined,
            onSort: () =>
              setSort((prev) => ({
                key: c,
                direction: prev.key === c && prev.direction === "ascending" ? "descending" : "ascending",
              })),
          }))}
          rows={visible}
          rowKey={(r) => `${r.line ?? ""}:${r.kind ?? ""}:${r.userId ?? r.email ?? ""}`}
          rowProps={(r) => ({
            className: isProblem(r) ? styles.problem : undefined,
            "data-action": r.action,
          })}
          cells={(r) => [
            // A holder the file leaves out has no line: the row names who loses the seat.
            r.line ?? "—",
            r.line === null && r.displayName && r.email
              ? `${r.displayName} (${r.email})`
              : (r.email ?? r.displayName ?? ""),
            r.kind ? t(`admin.kind_${r.kind}`) : "",
            <Badge key="action" appearance="tint" color={actionColor[r.action]}>
              {t(`admin.action_${r.action}`)}
            </Badge>,
            r.reason,
          ]}
        />
      </div>
    </>
  );
}
