/** CSV import wizard: download the template → upload → the plan preview (licence summary, per-row reasons,
 * sortable, filterable to problems) → commit → undo. */
import { Body1, Button, Caption1, Card, makeStyles, Spinner, Subtitle2 } from "@fluentui/react-components";
import { useId } from "react";
import { useTranslation } from "react-i18next";
import { ErrorState } from "../shared/StateViews.tsx";
import { controlRow, sectionCard, sectionColumn } from "../shared/styles.ts";
import { AdminSection } from "./AdminSection.tsx";
import { PlanReview } from "./PlanReview.tsx";
import type { CsvImportState } from "./useCsvImport.ts";

const useStyles = makeStyles({
  root: sectionColumn("1100px"),
  step: sectionCard(),
  row: controlRow(),
});

/** The wizard's state lives in the Admin tab, so an admin can look at Users and come back to undo. */
export function CsvImport({ wizard }: { wizard: CsvImportState }) {
  const styles = useStyles();
  const { t } = useTranslation();
  const inputId = useId();
  const s = wizard.review.state;
  const busy = s.step === "planning" || s.step === "committing" || s.step === "undoing";
  return (
    <AdminSection name="import" heading={t("admin.importHeading")} className={styles.root}>
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
            appearance={s.step === "idle" ? "primary" : "secondary"}
            disabled={busy}
            onClick={() => document.getElementById(inputId)?.click()}
          >
            {t("admin.upload")}
          </Button>
          {s.step === "planning" ? (
            <Spinner size="tiny" label={t("admin.planning", { file: s.source })} />
          ) : null}
          {s.step !== "idle" && s.step !== "planning" ? <Body1>{s.source}</Body1> : null}
        </div>
      </Card>
      {wizard.review.error ? <ErrorState error={wizard.review.error} /> : null}
      <PlanReview review={wizard.review} heading={t("admin.step3")} undoneText={t("admin.undone")} />
    </AdminSection>
  );
}
