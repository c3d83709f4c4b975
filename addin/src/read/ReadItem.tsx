/**
 * Message or appointment read: the availability of the sender (or organizer) and the other attendees for
 * the next days, and "Book with Quorum" on a suggested time, confirmed with a subject in a dialog
 * (state in useReadItem).
 */
import { MessageBar, MessageBarBody, Spinner, Subtitle2, Text } from "@fluentui/react-components";
import { formatDay, formatRange } from "../../../src/ui-shared/format.ts";
import { AvailabilityStrip } from "../shared/AvailabilityStrip.tsx";
import { ErrorBar, LoadStatus } from "../shared/ErrorBar.tsx";
import { SuggestionsSection } from "../shared/Suggestions.tsx";
import type { SurfaceProps } from "../shared/surface.ts";
import { strings } from "../strings.ts";
import { BookConfirmation } from "./BookConfirmation.tsx";
import { useReadItemStyles } from "./ReadItem.styles.ts";
import { DAYS_SHOWN, useReadItem, workingDays } from "./useReadItem.ts";

export function ReadItem(props: SurfaceProps) {
  const styles = useReadItemStyles();
  const { locale, timeZone } = props;
  const read = useReadItem(props);
  const { item, sender, availability } = read;

  if (item.state.status === "loading" || sender.status === "loading")
    return <Spinner label={strings.loading} />;
  if (item.state.status === "failed") return <ErrorBar error={item.state.error} onRetry={item.retry} />;
  if (sender.status === "failed") return <ErrorBar error={sender.error} onRetry={sender.reload} />;
  const data = availability.status === "ready" ? availability.data : null;

  return (
    <div className={styles.root}>
      {read.title ? (
        <Subtitle2 as="h2" block>
          {strings.readTitle(read.title)}
        </Subtitle2>
      ) : (
        <Text>{strings.noAttendees}</Text>
      )}
      {read.booked ? (
        <MessageBar intent="success">
          <MessageBarBody>
            {strings.booked(formatRange(read.booked.start, read.booked.end, locale, timeZone))}
          </MessageBarBody>
        </MessageBar>
      ) : null}
      <LoadStatus load={availability} />
      {data ? (
        <>
          <SuggestionsSection
            availability={data}
            names={read.names}
            actionLabel={strings.bookWithQuorum}
            busy={read.booking}
            onAction={read.ask}
          />
          <section aria-label={strings.nextDays} className={styles.days}>
            <Subtitle2 as="h2" block>
              {strings.nextDays}
            </Subtitle2>
            {workingDays(data, read.startOfToday, timeZone, DAYS_SHOWN).map(({ day, from, to }) => (
              <AvailabilityStrip
                key={day}
                availability={data}
                names={read.names}
                from={from}
                to={to}
                caption={formatDay(day, locale, timeZone)}
              />
            ))}
          </section>
        </>
      ) : null}
      <BookConfirmation
        pending={read.pending}
        invited={read.invited}
        names={read.names}
        busy={read.booking}
        error={read.bookError}
        onSubjectChange={read.setSubject}
        onConfirm={() => void read.confirm()}
        onCancel={read.cancel}
      />
    </div>
  );
}
