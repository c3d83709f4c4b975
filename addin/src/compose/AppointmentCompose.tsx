/**
 * Appointment compose: the meeting's attendees and times from Outlook, a compact availability strip for
 * them on the meeting's day, ranked suggestions, and "Use this time" (state in useAppointmentCompose).
 */
import {
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Spinner,
  Subtitle2,
  Text,
} from "@fluentui/react-components";
import { formatDay, localTimeOnDay } from "../../../src/ui-shared/format.ts";
import { AvailabilityStrip } from "../shared/AvailabilityStrip.tsx";
import { ErrorBar, LoadStatus } from "../shared/ErrorBar.tsx";
import { SuggestionsSection } from "../shared/Suggestions.tsx";
import type { SurfaceProps } from "../shared/surface.ts";
import { strings } from "../strings.ts";
import { useAppointmentComposeStyles } from "./AppointmentCompose.styles.ts";
import { useAppointmentCompose } from "./useAppointmentCompose.ts";

export function AppointmentCompose(props: SurfaceProps) {
  const styles = useAppointmentComposeStyles();
  const { locale, timeZone } = props;
  const compose = useAppointmentCompose(props);
  const { item, availability } = compose;

  if (item.state.status === "loading") return <Spinner label={strings.loading} />;
  if (item.state.status === "failed") return <ErrorBar error={item.state.error} onRetry={item.retry} />;
  const { times } = item.state;

  return (
    <div className={styles.root}>
      <section aria-label={strings.attendees}>
        <Subtitle2 as="h2" block>
          {strings.attendees}
        </Subtitle2>
        <Text as="p" size={200} className={styles.people}>
          {compose.people.length > 0 ? compose.people.map((p) => p.name).join(", ") : strings.noAttendees}
        </Text>
      </section>
      <form
        className={styles.room}
        onSubmit={(event) => {
          event.preventDefault();
          compose.chooseRoom();
        }}
      >
        <Field label={strings.room} hint={strings.roomHint}>
          <Input
            type="email"
            value={compose.roomDraft}
            placeholder="room@contoso.com"
            onChange={(_e, d) => compose.setRoomDraft(d.value)}
            onBlur={compose.chooseRoom}
          />
        </Field>
      </form>
      {compose.applyError ? (
        <ErrorBar error={compose.applyError} onDismiss={compose.dismissApplyError} />
      ) : null}
      {compose.applied ? (
        <MessageBar intent="success">
          <MessageBarBody>{strings.timeSet}</MessageBarBody>
        </MessageBar>
      ) : null}
      <LoadStatus load={availability} />
      {availability.status === "ready" && times ? (
        <>
          <AvailabilityStrip
            availability={availability.data}
            names={compose.names}
            from={localTimeOnDay(times.start.getTime(), 8 * 60, timeZone)}
            to={localTimeOnDay(times.start.getTime(), 18 * 60, timeZone)}
            caption={strings.availabilityOf(formatDay(times.start.getTime(), locale, timeZone))}
            highlight={{ start: times.start.getTime(), end: times.end.getTime() }}
          />
          <SuggestionsSection
            availability={availability.data}
            names={compose.names}
            actionLabel={strings.useThisTime}
            busy={compose.applying}
            onAction={compose.apply}
          />
        </>
      ) : null}
    </div>
  );
}
