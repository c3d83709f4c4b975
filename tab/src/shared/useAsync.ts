/** A small state hook for one asynchronous load: loading → ready | failed, with reload. */
import { useCallback, useEffect, useRef, useState } from "react";

export type AsyncState<T> =
  | { status: "loading" }
  | { status: "ready"; data: T }
  | { status: "failed"; error: unknown };

export function useAsync<T>(
  load: (signal: AbortSignal) => Promise<T>,
  deps: readonly unknown[],
  options: { keepDataWhileReloading?: boolean } = {},
): AsyncState<T> & { reload: () => void } {
  const keep = options.keepDataWhileReloading ?? false;
  const [state, setState] = useState<AsyncState<T>>({ status: "loading" });
  const [nonce, setNonce] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller lists what the load depends on.
  useEffect(() => {
    const controller = new AbortController();
    setState((previous) => (keep && previous.status === "ready" ? previous : { status: "loading" }));
    loadRef.current(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ status: "ready", data });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ status: "failed", error });
      },
    );
    return () => controller.abort();
  }, [...deps, nonce, keep]);
  const reload = useCallback(() => setNonce((n) => n + 1), []);
  return { ...state, reload };
}
