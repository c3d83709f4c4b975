/** Ranked suggestions, each with the reason per attendee who is not plainly free, and one click to book. */
import {
  Body1,
  Button,
  Caption1,
  Card,
  makeStyles,
  mergeClasses,
  Subtitle2,
  tokens,
} from "@fluentui/react-components";
import { useTranslation } from "react-i18next";
import type { EmptyReasonBody } from "../../../src/api-contract/availability.ts";
import { formatRange, formatTime } from "../../../src/ui-shared/format.ts";
import { stackedList } from "../shared/styles.ts";
import { emptyText, verdictText } from "./reasons.ts";
import type { Suggestion } from "./useSchedule.ts";

const useStyles = makeStyles({
  list: stackedList(),
  empty: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  card: { padding: tokens.spacingHorizontalM, gap: tokens.spacingVerticalXS },
  focused: { outline: `${tokens.strokeWidthThick} solid ${tokens.colorBrandStroke1}` },
  reasons: {
    margin: 0,
    paddingInlineStart: tokens.spacingHorizontalL,
    color: tokens.colorNeutralForeground2,
  },
  row: {
    display: "flex",
    justifyContent: "space-between",
    alignItems: "center",
    gap: tokens.spacingHorizontalM,
    flexWrap: "wrap",
  },
});

export interface SuggestionsProps {
  suggestions: readonly Suggestion[];
  emptyReason: EmptyReasonBody | null;
  labelOf: (id: string) => string;
  locale: string;
  timeZone: string;
  focus: Suggestion | undefined;
  onFocus: (s: Suggestion) => void;
  onPick: (s: Suggestion) => void;
}

export function Suggestions({
  suggestions,
  emptyReason,
  labelOf,
  locale,
  timeZone,
  focus,
  onFocus,
  onPick,
}: SuggestionsProps) {
  const styles = useStyles();
  const { t } = useTranslation();
  const heading = (
    <Subtitle2 as="h2" id="suggestions-heading" block>
      {t("schedule.suggestions")}
    </Subtitle2>
  );
  if (suggestions.length === 0) {
    return (
      <section aria-labelledby="suggestions-heading" className={styles.empty}>
        {heading}
        <Body1 role="status">{emptyText(emptyReason, labelOf, t, locale)}</Body1>
      </section>
    );
  }
  return (
    <section aria-labelledby="suggestions-heading">
      {heading}
      <ol className={styles.list}>
        {suggestions.map((s) => {
          const notFree = s.attendees.filter((a) => a.status !== "free");
          const key = `${s.start}-${s.room ?? ""}`;
          return (
            <li key={key}>
              <Card
                className={mergeClasses(styles.card, focus === s && styles.focused)}
                onMouseEnter={() => onFocus(s)}
                onFocus={() => onFocus(s)}
                data-suggestion={s.start}
              >
                <div className={styles.row}>
                  <Body1>
                    <strong>{formatRange(s.start, s.end, locale, timeZone)}</strong>
                  </Body1>
                  <Button appearance="primary" onClick={() => onPick(s)}>
                    {t("schedule.pick", { time: formatTime(s.start, locale, timeZone) })}
                  </Button>
                </div>
                {s.room ? <Caption1>{t("schedule.withRoom", { room: labelOf(s.room) })}</Caption1> : null}
                {notFree.length === 0 ? (
                  <Caption1>{t("schedule.everyoneFree")}</Caption1>
                ) : (
                  <ul className={styles.reasons}>
                    {notFree.map((a) => (
                      <li key={a.id}>
                        <Caption1>
                          {t("schedule.attendeeReason", {
                            name: labelOf(a.id),
                            reason: a.reason
                              ? verdictText(a.reason, locale)
                              : t(`legend.${a.status}`, { defaultValue: a.status }),
                          })}
                        </Caption1>
                      </li>
                    ))}
                  </ul>
                )}
              </Card>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
