/**
 * The task pane's shell: waits for Office, picks the surface for the open item (appointment compose,
 * message compose, read), registers Outlook's item events once per item, and shows Office failures.
 * Each surface is its own chunk, loaded when it is needed.
 */
import { FluentProvider, makeStyles, Spinner, Text, tokens, webLightTheme } from "@fluentui/react-components";
import { lazy, Suspense, useEffect, useState } from "react";
import type { ItemKind, Outlook } from "../office.ts";
import type { QuorumPort } from "./quorum.ts";
import { ErrorBar } from "./shared/ErrorBar.tsx";
import { viewerTimeZone } from "./shared/format.ts";
import { useItemChanges } from "./shared/useItem.ts";
import { strings } from "./strings.ts";

const loadAppointmentCompose = () => import("./compose/AppointmentCompose.tsx");
const loadMessageCompose = () => import("./compose/MessageCompose.tsx");
const loadReadItem = () => import("./read/ReadItem.tsx");
const AppointmentCompose = lazy(() =>
  loadAppointmentCompose().then((m) => ({ default: m.AppointmentCompose })),
);
const MessageCompose = lazy(() => loadMessageCompose().then((m) => ({ default: m.MessageCompose })));
const ReadItem = lazy(() => loadReadItem().then((m) => ({ default: m.ReadItem })));

/** Starts fetching the chunk of the surface for the open item while React renders the shell. */
export function preloadSurface(kind: ItemKind | null): void {
  if (!kind) return;
  const load =
    kind.mode === "read"
      ? loadReadItem()
      : kind.type === "appointment"
        ? loadAppointmentCompose()
        : loadMessageCompose();
  load.catch((error: unknown) => console.error("The task pane could not load its view", error));
}

const useStyles = makeStyles({
  root: {
    minHeight: "100vh",
    boxSizing: "border-box",
    padding: tokens.spacingHorizontalM,
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalM,
    backgroundColor: tokens.colorNeutralBackground2,
    color: tokens.colorNeutralForeground1,
  },
});

export interface AppProps {
  outlook: Outlook;
  quorum: QuorumPort;
  now?: () => number;
}

const systemNow = () => Date.now();

export function App({ outlook, quorum, now = systemNow }: AppProps) {
  const styles = useStyles();
  const [ready, setReady] = useState<"waiting" | "ready" | { error: unknown }>("waiting");
  const [itemVersion, setItemVersion] = useState(0);
  const [kind, setKind] = useState<ItemKind | null>(null);
  const [itemChangeError, setItemChangeError] = useState<unknown>(null);

  useEffect(() => {
    let live = true;
    outlook.ready().then(
      () => {
        if (!live) return;
        setKind(outlook.kind());
        setReady("ready");
        outlook
          .onItemChanged(() => {
            if (!live) return;
            setKind(outlook.kind());
            setItemVersion((v) => v + 1);
          })
          .catch((error: unknown) => {
            if (live) setItemChangeError(error);
          });
      },
      (error: unknown) => {
        if (live) setReady({ error });
      },
    );
    return () => {
      live = false;
    };
  }, [outlook]);

  const changes = useItemChanges(outlook, ready === "ready" ? kind : null, itemVersion);
  const locale = outlook.displayLanguage();
  const timeZone = viewerTimeZone();
  const surface = { outlook, quorum, locale, timeZone, changes: changes.changes, now };

  let body: React.ReactNode;
  if (ready === "waiting") body = <Spinner label={strings.loading} />;
  else if (ready !== "ready") body = <ErrorBar error={ready.error} />;
  else if (!kind) body = <Text>{strings.noItem}</Text>;
  else if (kind.mode === "read") body = <ReadItem key={itemVersion} {...surface} />;
  else if (kind.type === "appointment") body = <AppointmentCompose key={itemVersion} {...surface} />;
  else body = <MessageCompose key={itemVersion} {...surface} />;

  return (
    <FluentProvider theme={webLightTheme} dir="ltr">
      <main className={styles.root} aria-label={strings.appName}>
        {itemChangeError ? (
          <ErrorBar error={itemChangeError} onDismiss={() => setItemChangeError(null)} />
        ) : null}
        {changes.error ? <ErrorBar error={changes.error} onDismiss={changes.dismiss} /> : null}
        <Suspense fallback={<Spinner label={strings.loading} />}>{body}</Suspense>
      </main>
    </FluentProvider>
  );
}
