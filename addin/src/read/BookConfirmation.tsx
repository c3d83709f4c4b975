/**
 * The confirmation "Book with Quorum" opens: the time (and room), who is invited, and the subject to
 * edit, with Book and Cancel. An alert dialog: a stray click outside does not throw away an edited subject.
 */
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Input,
  makeStyles,
  Text,
  tokens,
} from "@fluentui/react-components";
import { useState } from "react";
import { formatRange } from "../../../src/ui-shared/format.ts";
import { ErrorBar } from "../shared/ErrorBar.tsx";
import { usePane } from "../shared/pane.ts";
import { strings } from "../strings.ts";
import type { PendingBooking } from "./useReadItem.ts";

const useStyles = makeStyles({
  content: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  details: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXXS },
  muted: { color: tokens.colorNeutralForeground2 },
});

export interface BookConfirmationProps {
  pending: PendingBooking | null;
  /** Display names of the invited people, in order. */
  invited: readonly string[];
  /** Room display names by lower-case address. */
  names: ReadonlyMap<string, string>;
  busy: boolean;
  error: unknown;
  onSubjectChange(subject: string): void;
  onConfirm(): void;
  onCancel(): void;
}

export function BookConfirmation(props: BookConfirmationProps) {
  const styles = useStyles();
  const { locale, timeZone } = usePane();
  // The last pending booking stays on the surface while the dialog animates closed.
  const [pending, setShown] = useState(props.pending);
  if (props.pending && props.pending !== pending) setShown(props.pending);
  const list = new Intl.ListFormat(locale, { style: "long", type: "conjunction" });
  return (
    <Dialog
      modalType="alert"
      open={props.pending !== null}
      onOpenChange={(_, data) => {
        if (!data.open) props.onCancel();
      }}
    >
      <DialogSurface>
        {pending ? (
          <form
            onSubmit={(event) => {
              event.preventDefault();
              props.onConfirm();
            }}
          >
            <DialogBody>
              <DialogTitle>{strings.confirmBookingTitle}</DialogTitle>
              <DialogContent className={styles.content}>
                <div className={styles.details}>
                  <Text weight="semibold">
                    {formatRange(pending.suggestion.start, pending.suggestion.end, locale, timeZone)}
                  </Text>
                  {pending.suggestion.room ? (
                    <Text className={styles.muted}>
                      {props.names.get(pending.suggestion.room.toLowerCase()) ?? pending.suggestion.room}
                    </Text>
                  ) : null}
                  {props.invited.length > 0 ? (
                    <Text className={styles.muted}>{strings.invitationsTo(list.format(props.invited))}</Text>
                  ) : null}
                </div>
                <Field label={strings.subject} required>
                  <Input
                    value={pending.subject}
                    disabled={props.busy}
                    onChange={(_, data) => props.onSubjectChange(data.value)}
                  />
                </Field>
                {props.error ? <ErrorBar error={props.error} /> : null}
              </DialogContent>
              <DialogActions>
                <Button
                  type="submit"
                  appearance="primary"
                  disabled={props.busy || pending.subject.trim() === ""}
                >
                  {props.busy ? strings.booking : strings.book}
                </Button>
                <Button appearance="secondary" disabled={props.busy} onClick={props.onCancel}>
                  {strings.cancel}
                </Button>
              </DialogActions>
            </DialogBody>
          </form>
        ) : null}
      </DialogSurface>
    </Dialog>
  );
}
