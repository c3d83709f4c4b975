/** Debounced values and type-ahead searches: the one place the tab waits for typing to pause. */
import { useEffect, useState } from "react";
import { useAsync } from "../../../src/ui-shared/useAsync.ts";

/** `value`, once it has stayed the same for `delayMs`. */
export function useDebounced<T>(value: T, delayMs: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}

/**
 * A search that follows what is typed: it runs once typing pauses, and until the answer for the text on
 * screen arrives it is "searching" (with the previous answer, so a list does not flicker), never an
 * answer to older text.
 */
export type TypeAhead<T> =
  | { status: "searching"; previous: T | undefined }
  | { status: "done"; data: T }
  | { status: "failed"; message: string };

export function useTypeAhead<T>(
  text: string,
  search: (q: string, signal: AbortSignal) => Promise<T>,
  deps: readonly unknown[],
  delayMs = 150,
): TypeAhead<T> {
  const typed = text.trim();
  const q = useDebounced(typed, delayMs);
  const answer = useAsync((signal) => search(q, signal), [q, ...deps]);
  const [previous, setPrevious] = useState<T | undefined>(undefined);
  const ready = answer.status === "ready" ? answer.data : undefined;
  useEffect(() => {
    if (ready !== undefined) setPrevious(ready);
  }, [ready]);
  if (answer.status === "failed") {
    const error = answer.error;
    return { status: "failed", message: error instanceof Error ? error.message : String(error) };
  }
  if (answer.status === "loading" || typed !== q) return { status: "searching", previous };
  return { status: "done", data: answer.data };
}
