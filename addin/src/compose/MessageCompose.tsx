/**
 * Message compose: "Propose times" finds free slots for the sender and the recipients and inserts a short,
 * locale-formatted list of 3–5 of them at the cursor (HTML or plain text, following the body's format),
 * each also in the recipients' zones when known. Recipients outside the organization, whose calendars
 * Quorum cannot read, do not decide the times: the pane and the inserted text say their availability is
 * not known (outside-recipients.ts).
 */
import {
  Badge,
  Button,
  MessageBar,
  MessageBarBody,
  makeStyles,
  Spinner,
  Text,
  tokens,
} from "@fluentui/react-components";
import { useState } from "react";
import { isoDateInZone } from "../../../src/ui-shared/format.ts";
import { useAction } from "../../../src/ui-shared/useAction.ts";
import type { Person } from "../../office.ts";
import { atOtherDomain, domainOf, unreadableOutside } from "../outside-recipients.ts";
import {
  MIN_PROPOSED,
  type ProposalOptions,
  pickProposedSlots,
  proposalHtml,
  proposalText,
  type RecipientZone,
} from "../propose.ts";
import type { Availability, AvailabilityQuery } from "../quorum.ts";
import { ErrorBar } from "../shared/ErrorBar.tsx";
import { type SurfaceProps, uniquePeople } from "../shared/surface.ts";
import { useItem } from "../shared/useItem.ts";
import { strings } from "../strings.ts";

const DAY = 86_400_000;
const HALF_HOUR = 30 * 60_000;

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM, alignItems: "stretch" },
  hint: { color: tokens.colorNeutralForeground2 },
  unknown: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  people: {
    listStyle: "none",
    margin: 0,
    padding: 0,
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalXS,
  },
  person: {
    display: "flex",
    alignItems: "center",
    justifyContent: "space-between",
    flexWrap: "wrap",
    gap: tokens.spacingHorizontalS,
  },
  name: { minWidth: 0, overflowWrap: "anywhere" },
});

type Outcome = ({ kind: "inserted"; count: number } | { kind: "tooFew" } | { kind: "noRecipients" }) & {
  /** Recipients outside the organization, whose availability is not known. */
  unknown: Person[];
};

/** Recipients' zones as the service knows them (from their working hours), grouped by zone. */
export function recipientZones(availability: Availability, recipients: readonly Person[]): RecipientZone[] {
  const byZone = new Map<string, string[]>();
  for (const person of availability.people) {
    if (!person.timeZone) continue;
    const recipient = recipients.find((r) => r.email.toLowerCase() === person.email.toLowerCase());
    if (!recipient) continue;
    byZone.set(person.timeZone, [...(byZone.get(person.timeZone) ?? []), recipient.name]);
  }
  return [...byZone].map(([timeZone, who]) => ({ timeZone, who: who.join(", ") }));
}

export function MessageCompose({ outlook, quorum, locale, timeZone, changes, now }: SurfaceProps) {
  const styles = useStyles();
  const item = useItem(outlook, false, changes);
  const proposing = useAction();
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const me = outlook.mailboxUser();

  async function propose(): Promise<Outcome | null> {
    if (item.state.status !== "ready") return null;
    const { attendees } = item.state;
    const notMe = (p: Person) => p.email.toLowerCase() !== me.email.toLowerCase();
    const required = uniquePeople([attendees.required]).filter(notMe);
    const optional = uniquePeople([attendees.optional]).filter(
      (p) => notMe(p) && !required.some((r) => r.email.toLowerCase() === p.email.toLowerCase()),
    );
    const recipients = [...required, ...optional];
    if (recipients.length === 0) return { kind: "noRecipients", unknown: [] };
    const ownDomain = domainOf(me.email);
    // Slots start on the half hour: the window starts at the next one.
    const start = Math.ceil(now() / HALF_HOUR) * HALF_HOUR;
    const ask = (decisive: readonly Person[], others: readonly Person[]) => {
      const query: AvailabilityQuery = {
        required: [me.email, ...decisive.map((p) => p.email)],
        optional: others.map((p) => p.email),
        start,
        end: start + 7 * DAY,
        durationMinutes: 30,
        timeZone,
        maxSuggestions: 20,
      };
      return quorum.availability(query);
    };
    // Recipients at another domain are asked for as optional first: when their calendars cannot be read
    // (outside the organization, the common case), they must not make every time uncertain.
    const outsideFirst = required.filter((p) => atOtherDomain(p, ownDomain));
    let availability = await ask(
      required.filter((p) => !outsideFirst.includes(p)),
      [...outsideFirst, ...optional],
    );
    const unknown = unreadableOutside(availability, recipients, ownDomain);
    if (outsideFirst.some((p) => !unknown.includes(p))) {
      // Someone at another domain is readable after all (a domain of the same organization): they count.
      availability = await ask(
        required.filter((p) => !unknown.includes(p)),
        [...optional, ...required.filter((p) => unknown.includes(p))],
      );
    }
    const free = availability.suggestions.filter((s) => s.uncertain === 0);
    const slots = pickProposedSlots(free, (ms) => isoDateInZone(ms, timeZone));
    if (slots.length < MIN_PROPOSED) return { kind: "tooFew", unknown };
    const names = new Intl.ListFormat(locale, { style: "long", type: "conjunction" }).format(
      unknown.map((p) => p.name),
    );
    const decided = recipients.some((p) => !unknown.includes(p));
    const options: ProposalOptions = {
      locale,
      timeZone,
      recipientZones: recipientZones(availability, recipients),
      intro: strings.proposeIntro,
      ...(unknown.length === 0
        ? {}
        : {
            note: decided
              ? strings.proposeUnknownNote(ownDomain, names)
              : strings.proposeUnknownNoteOnlyMe(names),
          }),
    };
    const type = await outlook.bodyType();
    await outlook.insertAtCursor(
      type === "html" ? proposalHtml(slots, options) : proposalText(slots, options),
      type,
    );
    return { kind: "inserted", count: slots.length, unknown };
  }

  if (item.state.status === "loading") return <Spinner label={strings.loading} />;
  if (item.state.status === "failed") return <ErrorBar error={item.state.error} onRetry={item.retry} />;

  return (
    <div className={styles.root}>
      <Text as="p" className={styles.hint}>
        {strings.proposeHint}
      </Text>
      <Button
        appearance="primary"
        disabled={proposing.busy}
        onClick={() => {
          setOutcome(null);
          void proposing.run(propose, setOutcome);
        }}
      >
        {proposing.busy ? strings.loading : strings.proposeTimes}
      </Button>
      {proposing.error ? <ErrorBar error={proposing.error} onDismiss={proposing.dismiss} /> : null}
      {outcome?.kind === "inserted" ? (
        <MessageBar intent="success">
          <MessageBarBody>{strings.proposedInserted(outcome.count)}</MessageBarBody>
        </MessageBar>
      ) : null}
      {outcome?.kind === "tooFew" ? (
        <MessageBar intent="warning">
          <MessageBarBody>{strings.notEnoughFree}</MessageBarBody>
        </MessageBar>
      ) : null}
      {outcome?.kind === "noRecipients" ? (
        <MessageBar intent="info">
          <MessageBarBody>{strings.proposeNeedsRecipients}</MessageBarBody>
        </MessageBar>
      ) : null}
      {outcome && outcome.unknown.length > 0 ? (
        <div className={styles.unknown}>
          <Text as="p" className={styles.hint}>
            {strings.unknownHint}
          </Text>
          <ul className={styles.people} aria-label={strings.availabilityUnknown}>
            {outcome.unknown.map((p) => (
              <li key={p.email} className={styles.person}>
                <Text className={styles.name}>{p.name}</Text>
                <Badge appearance="tint" color="informative">
                  {strings.availabilityUnknown}
                </Badge>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
