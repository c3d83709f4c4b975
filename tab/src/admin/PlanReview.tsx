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
  makeStyles,
  Subtitle2,
  Switch,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  tokens,
} from "@fluentui/react-components";
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import type { PlanResponse } from "../../../src/api-contract/seats.ts";
import { isProblem, type PlanReviewState, type SortKey, sortRows } from "./usePlanReview.ts";

const useStyles = makeStyles({
  card: { padding: tokens.spacingHorizontalL, gap: tokens.spacingVerticalS },
  row: { display: "flex", gap: tokens.spacingHorizontalM, alignItems: "center", flexWrap: "wrap" },
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
  return (
    <Card className={styles.card} role="region" aria-labelledby={headingId}>
      <Subtitle2 as="h3" id={headingId}>
        {heading}
      </Subtitle2>
      <PlanSummary plan={s.plan} />
      <PlanRows plan={s.plan} label={heading} />
      <div className={styles.row}>
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
      <Table className={styles.summary} size="small" aria-label={t("admin.summary")}>
        <TableHeader>
          <TableRow>
            <TableHeaderCell>{t("admin.summary")}</TableHeaderCell>
            {kinds.map((k) => (
              <TableHeaderCell key={k.kind}>{t(`admin.kind_${k.kind}`)}</TableHeaderCell>
            ))}
          </TableRow>
        </TableHeader>
        <TableBody>
          {summaryFields.map((f) => (
            <TableRow key={f}>
              <TableCell>{t(`admin.${f}`)}</TableCell>
              {kinds.map((k) => (
                <TableCell key={k.kind}>{k[f]}</TableCell>
              ))}
            </TableRow>
          ))}
        </TableBody>
      </Table>
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
        <Table size="small" aria-label={label} sortable>
          <TableHeader>
            <TableRow>
              {columns.map((c) => (
                <TableHeaderCell
                  key={c}
                  sortDirection={sort.key === c ? sort.direction : undefined}
                  onClick={() =>
                    setSort((prev) => ({
                      key: c,
                      direction:
                        prev.key === c && prev.direction === "ascending" ? "descending" : "ascending",
                    }))
                  }
                >
                  {t(columnLabel[c])}
                </TableHeaderCell>
              ))}
            </TableRow>
          </TableHeader>
          <TableBody>
            {visible.map((r) => (
              <TableRow
                key={`${r.line}:${r.kind ?? ""}`}
                className={isProblem(r) ? styles.problem : undefined}
                data-action={r.action}
              >
                <TableCell>{r.line}</TableCell>
                <TableCell>{r.email ?? r.displayName ?? ""}</TableCell>
                <TableCell>{r.kind ? t(`admin.kind_${r.kind}`) : ""}</TableCell>
                <TableCell>
                  <Badge appearance="tint" color={actionColor[r.action]}>
                    {t(`admin.action_${r.action}`)}
                  </Badge>
                </TableCell>
                <TableCell>{r.reason}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
    </>
  );
}
