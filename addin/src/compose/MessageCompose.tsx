/**
 * Message compose: "Propose times" finds free slots for the sender and the recipients and inserts a short,
 * locale-formatted list of 3–5 of them at the cursor (HTML or plain text, following the body's format),
 * each also in the recipients' zones when known.
 */
import {
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
import {
  MIN_PROPOSED,
  type ProposalOptions,
  pickProposedSlots,
  proposalHtml,
  proposalText,
  type RecipientZone,
} from "../propose.ts";
import type { Availability } from "../quorum.ts";
import { ErrorBar } from "../shared/ErrorBar.tsx";
import { type SurfaceProps, uniquePeople } from "../shared/surface.ts";
import { useItem } from "../shared/useItem.ts";
import { strings } from "../strings.ts";

const DAY = 86_400_000;
const HALF_HOUR = 30 * 60_000;

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM, alignItems: "stretch" },
  hint: { color: tokens.colorNeutralForeground2 },
});

type Outcome = { kind: "inserted"; count: number } | { kind: "tooFew" } | { kind: "noRecipients" };

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
    const recipients = uniquePeople([attendees.required, attendees.optional]).filter(
      (p) => p.email.toLowerCase() !== me.email.toLowerCase(),
    );
    if (recipients.length === 0) return { kind: "noRecipients" };
    // Slots start on the half hour: the window starts at the next one.
    const start = Math.ceil(now() / HALF_HOUR) * HALF_HOUR;
    const availability = await quorum.availability({
      required: [me.email, ...attendees.required.map((p) => p.email)],
      optional: attendees.optional.map((p) => p.email),
      start,
      end: start + 7 * DAY,
      durationMinutes: 30,
      timeZone,
      maxSuggestions: 20,
    });
    const free = availability.suggestions.filter((s) => s.uncertain === 0);
    const slots = pickProposedSlots(free, (ms) => isoDateInZone(ms, timeZone));
    if (slots.length < MIN_PROPOSED) return { kind: "tooFew" };
    const options: ProposalOptions = {
      locale,
      timeZone,
      recipientZones: recipientZones(availability, recipients),
      intro: strings.proposeIntro,
    };
    const type = await outlook.bodyType();
    await outlook.insertAtCursor(
      type === "html" ? proposalHtml(slots, options) : proposalText(slots, options),
      type,
    );
    return { kind: "inserted", count: slots.length };
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
    </div>
  );
}
