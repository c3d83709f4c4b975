/** CSV import wizard: download the template → upload → plan preview (licence summary, per-row reasons,
 * sortable, filterable to problems) → commit → undo. */
import {
  Badge,
  Body1,
  Button,
  Caption1,
  Card,
  MessageBar,
  MessageBarBody,
  makeStyles,
  Spinner,
  Subtitle1,
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
import { ErrorState } from "../shared/StateViews.tsx";
import { type CsvImportState, isProblem, type SortKey, sortRows } from "./useCsvImport.ts";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalL, maxWidth: "1100px" },
  step: { padding: tokens.spacingHorizontalL, gap: tokens.spacingVerticalS },
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

/** The wizard's state lives in the Admin tab, so an admin can look at Users and come back to undo. */
export function CsvImport({ wizard }: { wizard: CsvImportState }) {
  const styles = useStyles();
  const { t } = useTranslation();
  const inputId = useId();
  const s = wizard.state;
  const busy = s.step === "planning" || s.step === "committing" || s.step === "undoing";
  return (
    <section className={styles.root} aria-labelledby="import-heading">
      <Subtitle1 as="h2" id="import-heading">
        {t("admin.importHeading")}
      </Subtitle1>
      <Card className={styles.step}>
        <Subtitle2 as="h3">{t("admin.step1")}</Subtitle2>
        <div className={styles.row}>
          <Button onClick={() => void wizard.downloadTemplate()}>{t("admin.template")}</Button>
          <Caption1>email, seat_kinds, phone_number, display_name</Caption1>
        </div>
      </Card>
      <Card className={styles.step}>
        <Subtitle2 as="h3">{t("admin.step2")}</Subtitle2>
        <div className={styles.row}>
          <input
            id={inputId}
            hidden
            type="file"
            accept=".csv,text/csv"
            disabled={busy}
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = "";
              if (file) void wizard.upload(file);
            }}
          />
          <Button
            appearance={s.step === "choose" ? "primary" : "secondary"}
            disabled={busy}
            onClick={() => document.getElementById(inputId)?.click()}
          >
            {t("admin.upload")}
          </Button>
          {s.step === "planning" ? (
            <Spinner size="tiny" label={t("admin.planning", { file: s.fileName })} />
          ) : null}
          {s.step !== "choose" && s.step !== "planning" ? <Body1>{s.fileName}</Body1> : null}
        </div>
      </Card>
      {wizard.error ? <ErrorState error={wizard.error} /> : null}
      {"plan" in s ? (
        <Card className={styles.step}>
          <Subtitle2 as="h3">{t("admin.step3")}</Subtitle2>
          <PlanSummary plan={s.plan} />
          <PlanRows plan={s.plan} />
          <div className={styles.row}>
            {s.step === "preview" || s.step === "committing" ? (
              <>
                <Button appearance="primary" disabled={busy} onClick={() => void wizard.commit()}>
                  {t("admin.commit")}
                </Button>
                <Button disabled={busy} onClick={wizard.reset}>
                  {t("admin.discard")}
                </Button>
              </>
            ) : null}
            {s.step === "committed" || s.step === "undoing" ? (
              <>
                <MessageBar intent="success">
                  <MessageBarBody>{t("admin.committed")}</MessageBarBody>
                </MessageBar>
                <Button disabled={busy} onClick={() => void wizard.undo()}>
                  {t("admin.undo")}
                </Button>
              </>
            ) : null}
            {s.step === "undone" ? (
              <>
                <MessageBar intent="info">
                  <MessageBarBody>{t("admin.undone")}</MessageBarBody>
                </MessageBar>
                <Button onClick={wizard.reset}>{t("admin.discard")}</Button>
              </>
            ) : null}
          </div>
        </Card>
      ) : null}
    </section>
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

function PlanRows({ plan }: { plan: PlanResponse }) {
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
        <Table size="small" aria-label={t("admin.step3")} sortable>
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
                key={r.line}
                className={isProblem(r) ? styles.problem : undefined}
                data-action={r.action}
              >
                <TableCell>{r.line}</TableCell>
                <TableCell>{r.email ?? ""}</TableCell>
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
