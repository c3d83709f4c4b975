/** Group-to-seat rules: members of a group get a seat kind, by priority. */
import {
  Button,
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
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useTabEnvironment } from "../shared/context.ts";
import { EmptyState, ErrorState, Loading } from "../shared/StateViews.tsx";
import { useAsync } from "../shared/useAsync.ts";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM, maxWidth: "900px" },
});

export function RulesSection() {
  const styles = useStyles();
  const { t } = useTranslation();
  const { api } = useTabEnvironment();
  const rules = useAsync((signal) => api.rules.list(signal), [api], { keepDataWhileReloading: true });
  const [error, setError] = useState<unknown>(undefined);
  return (
    <section className={styles.root} aria-labelledby="rules-heading">
      <Subtitle1 as="h2" id="rules-heading">
        {t("admin.rulesHeading")}
      </Subtitle1>
      {error ? <ErrorState error={error} /> : null}
      {rules.status === "loading" ? <Loading /> : null}
      {rules.status === "failed" ? <ErrorState error={rules.error} onRetry={rules.reload} /> : null}
      {rules.status === "ready" && rules.data.rules.length === 0 ? (
        <EmptyState>{t("admin.noRules")}</EmptyState>
      ) : null}
      {rules.status === "ready" && rules.data.rules.length > 0 ? (
        <Table size="small" aria-label={t("admin.rulesHeading")}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell>{t("admin.group")}</TableHeaderCell>
              <TableHeaderCell>{t("admin.kind")}</TableHeaderCell>
              <TableHeaderCell>{t("admin.priority")}</TableHeaderCell>
              <TableHeaderCell>{t("admin.action")}</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {rules.data.rules.map((r) => (
              <TableRow key={r.ruleId}>
                <TableCell>{r.groupName}</TableCell>
                <TableCell>{t(`admin.kind_${r.kind}`)}</TableCell>
                <TableCell>{r.priority}</TableCell>
                <TableCell>
                  <Button
                    size="small"
                    onClick={() => api.rules.remove(r.ruleId).then(rules.reload, setError)}
                  >
                    {t("admin.release")}
                  </Button>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      ) : null}
    </section>
  );
}
