/**
 * The task pane's shell: waits for Office, picks the surface for the open item (appointment compose,
 * message compose, read), registers Outlook's item events once per item, and shows Office failures.
 * Each surface is its own chunk, loaded when it is needed.
 */
import { FluentProvider, makeStyles, Spinner, Text, tokens, webLightTheme } from "@fluentui/react-components";
import { type ComponentType, useEffect, useMemo, useState } from "react";
import { viewerTimeZone } from "../../src/ui-shared/format.ts";
import type { ItemKind, Outlook } from "../office.ts";
import type { QuorumPort } from "./quorum.ts";
import { ErrorBar } from "./shared/ErrorBar.tsx";
import { PaneContext } from "./shared/pane.ts";
import type { SurfaceProps } from "./shared/surface.ts";
import { useItemChanges } from "./shared/useItem.ts";
import { chooseLanguage, strings } from "./strings.ts";

type Surface = ComponentType<SurfaceProps>;
const loaded = new Map<string, Promise<Surface>>();

/**
 * The surface for an item kind, each its own chunk, fetched once. The shell renders it when it has
 * arrived instead of suspending, so the pane shows it without React's fallback throttling.
 */
export function loadSurface(kind: ItemKind): Promise<Surface> {
  const key = kind.mode === "read" ? "read" : kind.type;
  let load = loaded.get(key);
  if (!load) {
    load =
      key === "read"
        ? import("./read/ReadItem.tsx").then((m) => m.ReadItem)
        : key === "appointment"
          ? import("./compose/AppointmentCompose.tsx").then((m) => m.AppointmentCompose)
          : import("./compose/MessageCompose.tsx").then((m) => m.MessageCompose);
    loaded.set(key, load);
  }
  return load;
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
        chooseLanguage(outlook.displayLanguage());
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

  const [surfaceState, setSurfaceState] = useState<
    { kind: ItemKind; Surface: Surface } | { error: unknown } | null
  >(null);
  useEffect(() => {
    if (!kind) return;
    let live = true;
    loadSurface(kind).then(
      (Surface) => {
        if (live) setSurfaceState({ kind, Surface });
      },
      (error: unknown) => {
        if (live) setSurfaceState({ error });
      },
    );
    return () => {
      live = false;
    };
  }, [kind]);

  // Times follow the Outlook mailbox's zone, as in the Teams tab. The surface waits for it, so it never
  // asks for (and shows) a day in one zone and then again in another; if it cannot be read, the pane works
  // the same in the zone Outlook on this device shows.
  const [zone, setZone] = useState<string | null>(null);
  useEffect(() => {
    if (ready !== "ready") return;
    const controller = new AbortController();
    quorum.mailboxTimeZone(controller.signal).then(
      (mailboxZone) => {
        if (!controller.signal.aborted) setZone(mailboxZone);
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        console.warn("The mailbox's time zone could not be read", error);
        setZone(viewerTimeZone());
      },
    );
    return () => controller.abort();
  }, [quorum, ready]);
  const timeZone = zone ?? viewerTimeZone();

  const changes = useItemChanges(outlook, ready === "ready" ? kind : null, itemVersion);
  const locale = outlook.displayLanguage();
  const pane = useMemo(() => ({ locale, timeZone }), [locale, timeZone]);
  const surface = { outlook, quorum, locale, timeZone, changes: changes.changes, now };

  let body: React.ReactNode;
  if (ready === "waiting") body = <Spinner label={strings.loading} />;
  else if (ready !== "ready") body = <ErrorBar error={ready.error} />;
  else if (!kind) body = <Text>{strings.noItem}</Text>;
  else if (surfaceState && "error" in surfaceState) body = <ErrorBar error={surfaceState.error} />;
  else if (zone === null) body = <Spinner label={strings.loading} />;
  else if (surfaceState?.kind === kind) body = <surfaceState.Surface key={itemVersion} {...surface} />;
  else body = <Spinner label={strings.loading} />;

  return (
    <FluentProvider theme={webLightTheme} dir="ltr">
      <PaneContext.Provider value={pane}>
        <main className={styles.root} aria-label={strings.appName}>
          {itemChangeError ? (
            <ErrorBar error={itemChangeError} onDismiss={() => setItemChangeError(null)} />
          ) : null}
          {changes.error ? <ErrorBar error={changes.error} onDismiss={changes.dismiss} /> : null}
          {body}
        </main>
      </PaneContext.Provider>
    </FluentProvider>
  );
}
