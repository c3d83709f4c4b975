/**
 * Shows a failed Office.js or service call to the user in a Fluent MessageBar; nothing is swallowed.
 * LoadStatus shows a load under way or failed the same way on every surface.
 */
import {
  Button,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
} from "@fluentui/react-components";
import { isApiError } from "../../../src/api-client/errors.ts";
import { OfficeError } from "../../office.ts";
import { strings } from "../strings.ts";

export function describeError(error: unknown): { title: string; message: string; reference: string | null } {
  if (error instanceof OfficeError) {
    return {
      title: strings.officeFailed,
      message: error.message,
      reference: `Office error ${error.code} (${error.officeName})`,
    };
  }
  if (isApiError(error)) {
    return {
      title: strings.serviceFailed,
      message: error.message,
      reference: error.requestId ? `${error.code}, request ${error.requestId}` : error.code,
    };
  }
  return {
    title: strings.serviceFailed,
    message: error instanceof Error ? error.message : String(error),
    reference: null,
  };
}

/** A load still under way (a spinner) or failed (the error, with "Try again"); nothing once it is ready. */
export function LoadStatus({ load }: { load: { status: string; error?: unknown; reload: () => void } }) {
  if (load.status === "loading") return <Spinner label={strings.loading} />;
  if (load.status === "failed") return <ErrorBar error={load.error} onRetry={load.reload} />;
  return null;
}

export interface ErrorBarProps {
  error: unknown;
  onRetry?: () => void;
  onDismiss?: () => void;
}

export function ErrorBar({ error, onRetry, onDismiss }: ErrorBarProps) {
  const { title, message, reference } = describeError(error);
  return (
    <MessageBar intent="error" layout="multiline" role="alert">
      <MessageBarBody>
        <MessageBarTitle>{title}</MessageBarTitle>
        {message}
        {reference ? <div>{reference}</div> : null}
      </MessageBarBody>
      {onRetry || onDismiss ? (
        <MessageBarActions>
          {onRetry ? <Button onClick={onRetry}>{strings.retry}</Button> : null}
          {onDismiss ? <Button onClick={onDismiss}>{strings.dismiss}</Button> : null}
        </MessageBarActions>
      ) : null}
    </MessageBar>
  );
}
