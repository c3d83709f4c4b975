/**
 * Group-to-seat rules: members of an Entra group get a seat kind, by priority. Rules change no seat on
 * their own: the admin previews the plan they make, commits it, and can undo it.
 */
import {
  Body1,
  Button,
  Caption1,
  Card,
  Combobox,
  Dropdown,
  Field,
  Input,
  makeStyles,
  Option,
  Spinner,
  Subtitle1,
  Subtitle2,
  tokens,
} from "@fluentui/react-components";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { DirectoryGroup } from "../../../src/api-contract/directory.ts";
import type { SeatKindName } from "../../../src/api-contract/seats.ts";
import { useAsync } from "../../../src/ui-shared/useAsync.ts";
import { useTabEnvironment } from "../shared/context.ts";
import { ErrorState } from "../shared/StateViews.tsx";
import { useTypeAhead } from "../shared/useDebounced.ts";
import { PlanReview } from "./PlanReview.tsx";
import { SectionTable } from "./SectionTable.tsx";
import type { PlanReviewState } from "./usePlanReview.ts";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalL, maxWidth: "1100px" },
  card: { padding: tokens.spacingHorizontalL, gap: tokens.spacingVerticalS },
  form: { display: "flex", gap: tokens.spacingHorizontalM, alignItems: "end", flexWrap: "wrap" },
  group: { minWidth: "300px" },
  priority: { width: "120px" },
  option: { display: "flex", flexDirection: "column" },
  count: { color: tokens.colorNeutralForeground2 },
  row: { display: "flex", gap: tokens.spacingHorizontalM, alignItems: "center", flexWrap: "wrap" },
});

export function RulesSection({ review }: { review: PlanReviewState }) {
  const styles = useStyles();
  const { t } = useTranslation();
  const { api } = useTabEnvironment();
  const rules = useAsync((signal) => api.rules.list(signal), [api], { keepDataWhileReloading: true });
  const [error, setError] = useState<unknown>(undefined);
  const hasRules = rules.status === "ready" && rules.data.rules.length > 0;
  return (
    <section className={styles.root} aria-labelledby="rules-heading">
      <Subtitle1 as="h2" id="rules-heading">
        {t("admin.rulesHeading")}
      </Subtitle1>
      <AddRule onAdded={rules.reload} />
      {error ? <ErrorState error={error} /> : null}
      <SectionTable
        state={rules}
        rows={(data) => data.rules}
        label={t("admin.rulesHeading")}
        columns={[t("admin.group"), t("admin.kind"), t("admin.priority"), t("admin.action")]}
        rowKey={(r) => r.ruleId}
        empty={t("admin.noRules")}
        cells={(r) => [
          r.groupName,
          t(`admin.kind_${r.kind}`),
          r.priority,
          <Button
            key="remove"
            size="small"
            aria-label={t("admin.removeRuleFor", { group: r.groupName })}
            onClick={() => {
              setError(undefined);
              api.rules.remove(r.ruleId).then(rules.reload, setError);
            }}
          >
            {t("admin.removeRule")}
          </Button>,
        ]}
      />
      <Card className={styles.card}>
        <Subtitle2 as="h3">{t("admin.rulesPreviewHeading")}</Subtitle2>
        <Body1>{t("admin.rulesPreviewHint")}</Body1>
        <div className={styles.row}>
          <Button
            appearance="primary"
            disabled={!hasRules || review.state.step === "planning"}
            onClick={() => void review.plan("rules", () => api.plans.fromRules())}
          >
            {t("admin.rulesPreview")}
          </Button>
          {review.state.step === "planning" ? <Spinner size="tiny" label={t("admin.rulesPlanning")} /> : null}
        </div>
      </Card>
      {review.error ? <ErrorState error={review.error} /> : null}
      <PlanReview review={review} heading={t("admin.rulesPlanHeading")} undoneText={t("admin.rulesUndone")} />
    </section>
  );
}

function AddRule({ onAdded }: { onAdded: () => void }) {
  const styles = useStyles();
  const { t } = useTranslation();
  const { api } = useTabEnvironment();
  const [text, setText] = useState("");
  const [group, setGroup] = useState<DirectoryGroup | undefined>(undefined);
  const [kind, setKind] = useState<SeatKindName>("sync");
  const [priority, setPriority] = useState("0");
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  // The tenant's Entra groups as the last directory import saw them.
  const groups = useTypeAhead(text, (q, signal) => api.groups(q || undefined, signal), [api], 200);
  const found = groups.status === "done" ? groups.data.groups : [];
  const priorityValue = Number(priority);
  const valid =
    group !== undefined && Number.isInteger(priorityValue) && priorityValue >= 0 && priorityValue <= 1000;
  return (
    <Card className={styles.card}>
      <Subtitle2 as="h3" id="add-rule-heading">
        {t("admin.addRule")}
      </Subtitle2>
      <form
        className={styles.form}
        aria-labelledby="add-rule-heading"
        onSubmit={(e) => {
          e.preventDefault();
          if (!group || !valid) return;
          setSaving(true);
          setError(undefined);
          api.rules
            .create({ groupId: group.groupId, kind, priority: priorityValue })
            .then(
              () => {
                setGroup(undefined);
                setText("");
                setPriority("0");
                onAdded();
              },
              (failure: unknown) => setError(failure),
            )
            .finally(() => setSaving(false));
        }}
      >
        <Field label={t("admin.group")} className={styles.group}>
          <Combobox
            freeform
            placeholder={t("admin.groupHint")}
            value={text}
            selectedOptions={group ? [group.groupId] : []}
            onChange={(e) => {
              setText(e.target.value);
              setGroup(undefined);
            }}
            onOptionSelect={(_e, d) => {
              const chosen = found.find((g) => g.groupId === d.optionValue);
              setGroup(chosen);
              setText(chosen?.displayName ?? "");
            }}
          >
            {groups.status === "failed" ? (
              <Option disabled value="" text="">
                {t("admin.groupsFailed")}
              </Option>
            ) : found.length === 0 ? (
              <Option disabled value="" text="">
                {groups.status === "searching" ? t("app.loading") : t("admin.noGroups")}
              </Option>
            ) : (
              found.map((g) => (
                <Option key={g.groupId} value={g.groupId} text={g.displayName}>
                  <span className={styles.option}>
                    <span>{g.displayName}</span>
                    <Caption1 className={styles.count}>
                      {t("admin.memberCount", { count: g.memberCount })}
                      {g.mail ? ` · ${g.mail}` : ""}
                    </Caption1>
                  </span>
                </Option>
              ))
            )}
          </Combobox>
        </Field>
        <Field label={t("admin.kind")}>
          <Dropdown
            value={t(`admin.kind_${kind}`)}
            selectedOptions={[kind]}
            onOptionSelect={(_e, d) => setKind(d.optionValue === "calling" ? "calling" : "sync")}
          >
            <Option value="sync">{t("admin.kind_sync")}</Option>
            <Option value="calling">{t("admin.kind_calling")}</Option>
          </Dropdown>
        </Field>
        <Field
          label={t("admin.priority")}
          validationMessage={valid || group === undefined ? undefined : t("admin.priorityInvalid")}
        >
          <Input
            className={styles.priority}
            type="number"
            min={0}
            max={1000}
            value={priority}
            onChange={(_e, d) => setPriority(d.value)}
          />
        </Field>
        <Button type="submit" appearance="primary" disabled={!valid || saving}>
          {t("admin.addRuleSubmit")}
        </Button>
      </form>
      <Caption1 className={styles.count}>{t("admin.priorityHint")}</Caption1>
      {error ? <ErrorState error={error} /> : null}
    </Card>
  );
}
