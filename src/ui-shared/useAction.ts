/**
 * One action of the user's against the service or the host at a time (send, save, book, answer): busy
 * while it runs, its failure kept for the view to show, nothing swallowed. Shared by the Teams tab and
 * the Outlook add-in.
 */
import { useCallback, useState } from "react";

export interface Action {
  busy: boolean;
  /** The last run's failure, until the next run or `dismiss`. */
  error: unknown;
  /** Runs `work`; `onDone` gets its result. Resolves with the result, or undefined when it failed. */
  run<T>(work: () => Promise<T>, onDone?: (result: T) => void): Promise<T | undefined>;
  dismiss(): void;
}

export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const run = useCallback(async <T>(work: () => Promise<T>, onDone?: (result: T) => void) => {
    setBusy(true);
    setError(undefined);
    try {
      const result = await work();
      setBusy(false);
      onDone?.(result);
      return result;
    } catch (failure) {
      setBusy(false);
      setError(failure);
      return undefined;
    }
  }, []);
  const dismiss = useCallback(() => setError(undefined), []);
  return { busy, error, run, dismiss };
}
