/**
 * A small state hook for one asynchronous load, shared by the Teams tab and the Outlook add-in:
 * loading → ready | failed, with reload. The load runs again whenever `deps` change (and aborts the one
 * before); a null load means there is nothing to load yet ("idle").
 */
import { useCallback, useEffect, useRef, useState } from "react";

export type AsyncState<T> =
  | { status: "loading" }
  | { status: "ready"; data: T }
  | { status: "failed"; error: unknown };

export type Loader<T> = (signal: AbortSignal) => Promise<T>;
export type AsyncResult<T> = AsyncState<T> & { reload: () => void };
export type AsyncOptions = {
  /** Keeps showing the last answer while the next one loads (a list does not flicker). */
  keepDataWhileReloading?: boolean;
};

export function useAsync<T>(
  load: Loader<T>,
  deps: readonly unknown[],
  options?: AsyncOptions,
): AsyncResult<T>;
export function useAsync<T>(
  load: Loader<T> | null,
  deps: readonly unknown[],
  options?: AsyncOptions,
): (AsyncState<T> | { status: "idle" }) & { reload: () => void };
export function useAsync<T>(load: Loader<T> | null, deps: readonly unknown[], options: AsyncOptions = {}) {
  const keep = options.keepDataWhileReloading ?? false;
  const idle = load === null;
  const [state, setState] = useState<AsyncState<T> | { status: "idle" }>({
    status: idle ? "idle" : "loading",
  });
  const [nonce, setNonce] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller lists what the load depends on.
  useEffect(() => {
    const run = loadRef.current;
    if (!run) {
      setState({ status: "idle" });
      return;
    }
    const controller = new AbortController();
    setState((previous) => (keep && previous.status === "ready" ? previous : { status: "loading" }));
    run(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ status: "ready", data });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ status: "failed", error });
      },
    );
    return () => controller.abort();
  }, [...deps, idle, nonce, keep]);
  const reload = useCallback(() => setNonce((n) => n + 1), []);
  return { ...state, reload };
}
