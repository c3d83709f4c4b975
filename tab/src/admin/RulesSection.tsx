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
  Field,
  Input,
  Option,
  Spinner,
  Subtitle2,
} from "@fluentui/react-components";
import { useTranslation } from "react-i18next";
import { ChoiceField } from "../shared/ChoiceField.tsx";
import { ErrorState } from "../shared/StateViews.tsx";
import { AdminSection } from "./AdminSection.tsx";
import { PlanReview } from "./PlanReview.tsx";
import { useRulesStyles } from "./RulesSection.styles.ts";
import { SectionTable } from "./SectionTable.tsx";
import type { PlanReviewState } from "./usePlanReview.ts";
import { ruleKinds, useAddRule, useRules } from "./useRules.ts";

export function RulesSection({ review }: { review: PlanReviewState }) {
  const styles = useRulesStyles();
  const { t } = useTranslation();
  const rules = useRules(review);
  return (
    <AdminSection name="rules" heading={t("admin.rulesHeading")} className={styles.root}>
      <AddRule onAdded={rules.list.reload} />
      {rules.error ? <ErrorState error={rules.error} /> : null}
      <SectionTable
        state={rules.list}
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
            onClick={() => rules.remove(r.ruleId)}
          >
            {t("admin.removeRule")}
          </Button>,
        ]}
      />
      <Card className={styles.card}>
        <Subtitle2 as="h3">{t("admin.rulesPreviewHeading")}</Subtitle2>
        <Body1>{t("admin.rulesPreviewHint")}</Body1>
        <div className={styles.row}>
          <Button appearance="primary" disabled={!rules.hasRules || rules.planning} onClick={rules.preview}>
            {t("admin.rulesPreview")}
          </Button>
          {rules.planning ? <Spinner size="tiny" label={t("admin.rulesPlanning")} /> : null}
        </div>
      </Card>
      {review.error ? <ErrorState error={review.error} /> : null}
      <PlanReview review={review} heading={t("admin.rulesPlanHeading")} undoneText={t("admin.rulesUndone")} />
    </AdminSection>
  );
}

function AddRule({ onAdded }: { onAdded: () => void }) {
  const styles = useRulesStyles();
  const { t } = useTranslation();
  const rule = useAddRule(onAdded);
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
          rule.submit();
        }}
      >
        <Field label={t("admin.group")} className={styles.group}>
          <Combobox
            freeform
            placeholder={t("admin.groupHint")}
            value={rule.text}
            selectedOptions={rule.group ? [rule.group.groupId] : []}
            onChange={(e) => rule.type(e.target.value)}
            onOptionSelect={(_e, d) => rule.choose(d.optionValue)}
          >
            {rule.groups.status === "failed" ? (
              <Option disabled value="" text="">
                {t("admin.groupsFailed")}
              </Option>
            ) : rule.found.length === 0 ? (
              <Option disabled value="" text="">
                {rule.groups.status === "searching" ? t("app.loading") : t("admin.noGroups")}
              </Option>
            ) : (
              rule.found.map((g) => (
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
        <ChoiceField
          label={t("admin.kind")}
          options={ruleKinds}
          value={rule.kind}
          text={(k) => t(`admin.kind_${k}`)}
          onChange={rule.setKind}
        />
        <Field
          label={t("admin.priority")}
          validationMessage={rule.priorityInvalid ? t("admin.priorityInvalid") : undefined}
        >
          <Input
            className={styles.priority}
            type="number"
            min={0}
            max={1000}
            value={rule.priority}
            onChange={(_e, d) => rule.setPriority(d.value)}
          />
        </Field>
        <Button type="submit" appearance="primary" disabled={!rule.valid || rule.saving}>
          {t("admin.addRuleSubmit")}
        </Button>
      </form>
      <Caption1 className={styles.count}>{t("admin.priorityHint")}</Caption1>
      {rule.error ? <ErrorState error={rule.error} /> : null}
    </Card>
  );
}
