/**
 * Ranked suggestions, each with one action button ("Use this time", "Book with Quorum"), and the section
 * around them that says why there are none.
 */
import { Badge, Button, makeStyles, Subtitle2, Text, tokens } from "@fluentui/react-components";
import { formatRange } from "../../../src/ui-shared/format.ts";
import type { Availability, SlotSuggestion } from "../quorum.ts";
import { emptyText } from "../reasons.ts";
import { strings } from "../strings.ts";
import { usePane } from "./pane.ts";

const useStyles = makeStyles({
  list: {
    listStyle: "none",
    margin: 0,
    padding: 0,
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalS,
  },
  item: {
    display: "flex",
    alignItems: "center",
    justifyContent: "space-between",
    gap: tokens.spacingHorizontalS,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground1,
    boxShadow: tokens.shadow2,
  },
  text: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXXS, minWidth: 0 },
  room: { color: tokens.colorNeutralForeground3 },
});

export interface SuggestionsProps {
  suggestions: readonly SlotSuggestion[];
  actionLabel: string;
  /** Room display names by lower-case address. */
  names: ReadonlyMap<string, string>;
  busy?: boolean;
  onAction(suggestion: SlotSuggestion): void;
}

export function Suggestions(props: SuggestionsProps) {
  const styles = useStyles();
  const { locale, timeZone } = usePane();
  return (
    <ul className={styles.list} aria-label={strings.suggestions}>
      {props.suggestions.map((s) => {
        const when = formatRange(s.start, s.end, locale, timeZone);
        return (
          <li
            key={`${s.start}-${s.room ?? ""}`}
            className={styles.item}
            data-start={s.start}
            data-end={s.end}
          >
            <div className={styles.text}>
              <Text weight="semibold">{when}</Text>
              <span>
                {s.uncertain === 0 ? (
                  <Badge appearance="tint" color="success">
                    {strings.allFree}
                  </Badge>
                ) : (
                  <Badge appearance="tint" color="warning">
                    {strings.uncertain(s.uncertain)}
                  </Badge>
                )}
              </span>
              {s.room ? (
                <Text size={200} className={styles.room}>
                  {props.names.get(s.room.toLowerCase()) ?? s.room}
                </Text>
              ) : null}
            </div>
            <Button
              appearance="primary"
              size="small"
              disabled={props.busy}
              aria-label={`${props.actionLabel}: ${when}`}
              onClick={() => props.onAction(s)}
            >
              {props.actionLabel}
            </Button>
          </li>
        );
      })}
    </ul>
  );
}

export interface SuggestionsSectionProps extends Omit<SuggestionsProps, "suggestions"> {
  availability: Availability;
}

/** The "Suggested times" section: the suggestions, or why the search found none. */
export function SuggestionsSection({ availability, ...list }: SuggestionsSectionProps) {
  const { locale } = usePane();
  return (
    <section aria-label={strings.suggestions}>
      <Subtitle2 as="h2" block>
        {strings.suggestions}
      </Subtitle2>
      {availability.suggestions.length === 0 ? (
        <Text as="p">{emptyText(availability.emptyReason, locale)}</Text>
      ) : (
        <Suggestions suggestions={availability.suggestions} {...list} />
      )}
    </section>
  );
}
