/**
 * Loads `/api/me` once per tab and provides it to the views; shows the designed loading and error
 * states while it cannot.
 */
import type { ReactNode } from "react";
import { useAsync } from "../../../src/ui-shared/useAsync.ts";
import { useTabEnvironment } from "./context.ts";
import { MeContext } from "./me.ts";
import { ErrorState, Loading } from "./StateViews.tsx";

export function MeGate({ children }: { children: ReactNode }) {
  const { api } = useTabEnvironment();
  const me = useAsync((signal) => api.me(signal), [api], { keepDataWhileReloading: true });
  if (me.status === "loading") return <Loading />;
  if (me.status === "failed") return <ErrorState error={me.error} onRetry={me.reload} />;
  return <MeContext.Provider value={{ me: me.data, reload: me.reload }}>{children}</MeContext.Provider>;
}
