/**
 * The tab's shell: Teams theme (live), UI language from the Teams locale, the API client with Teams SSO,
 * the user's mailbox time zone, and the Schedule or Admin experience. The admin views load as a separate chunk.
 */
import { FluentProvider, makeStyles, type Theme, teamsLightTheme, tokens } from "@fluentui/react-components";
import { lazy, Suspense, useEffect, useMemo, useState } from "react";
import { I18nextProvider } from "react-i18next";
import type { QuorumApi } from "../../src/api-client/api.ts";
import type { MailboxSettingsResponse } from "../../src/api-contract/directory.ts";
import { createI18n, switchLanguage } from "./i18n.ts";
import { type TabEnvironment, TabEnvironmentContext } from "./shared/context.ts";
import { EmptyState, Loading } from "./shared/StateViews.tsx";
import type { HostContext, TeamsConnection, TeamsTheme } from "./teams.ts";

const AdminApp = lazy(() => import("./admin/AdminApp.tsx").then((m) => ({ default: m.AdminApp })));
const UserApp = lazy(() => import("./UserApp.tsx").then((m) => ({ default: m.UserApp })));

/** Starts fetching the chunk of the chosen experience while teams-js initializes. */
export function preloadView(view: "schedule" | "admin"): void {
  const load = view === "admin" ? import("./admin/AdminApp.tsx") : import("./UserApp.tsx");
  load.catch((error: unknown) => console.error("The tab could not load its views", error));
}

/** The light theme ships with the first load; dark and high contrast load when Teams asks for them. */
function loadTheme(theme: TeamsTheme): Promise<Theme> {
  if (theme === "default") return Promise.resolve(teamsLightTheme);
  return import("./themes.ts").then((m) => (theme === "dark" ? m.teamsDarkTheme : m.teamsHighContrastTheme));
}

const useStyles = makeStyles({
  root: {
    minHeight: "100vh",
    boxSizing: "border-box",
    backgroundColor: tokens.colorNeutralBackground3,
    color: tokens.colorNeutralForeground1,
  },
});

type HostState =
  | { status: "connecting" }
  | { status: "ready"; context: HostContext; api: QuorumApi }
  | { status: "failed" };

/**
 * The API client (and zod with the contract schemas) loads as its own chunk while teams-js initializes:
 * no call can be made before the host hands out a token anyway, so the first render does not wait for it.
 */
function loadApi(teams: TeamsConnection): Promise<QuorumApi> {
  return import("../../src/api-client/api.ts").then((m) =>
    m.createApiClient({ baseUrl: location.origin, getToken: () => teams.getToken() }),
  );
}

export interface AppProps {
  teams: TeamsConnection;
  view: "schedule" | "admin";
}

export function App({ teams, view }: AppProps) {
  const styles = useStyles();
  const [host, setHost] = useState<HostState>({ status: "connecting" });
  const [theme, setThemeName] = useState<TeamsTheme>("default");
  const [fluentTheme, setFluentTheme] = useState<Theme>(teamsLightTheme);
  const [mailbox, setMailbox] = useState<
    { status: "loading" } | { status: "ready"; settings: MailboxSettingsResponse } | { status: "failed" }
  >({ status: "loading" });
  const i18n = useMemo(createI18n, []);

  useEffect(() => {
    let live = true;
    const setTheme = (name: TeamsTheme) => {
      loadTheme(name).then(
        (loaded) => {
          if (!live) return;
          setFluentTheme(loaded);
          setThemeName(name);
        },
        (error: unknown) => console.error("The tab could not load the Teams theme", name, error),
      );
    };
    Promise.all([teams.ready, loadApi(teams)])
      .then(async ([context, api]) => {
        // The views appear in the user's language, never first in English.
        await switchLanguage(i18n, context.locale).catch((error: unknown) =>
          console.error("The tab could not load its strings for", context.locale, error),
        );
        return [context, api] as const;
      })
      .then(
        ([context, api]) => {
          if (!live) return;
          setTheme(context.theme);
          document.documentElement.lang = context.locale;
          setHost({ status: "ready", context, api });
        },
        (error: unknown) => {
          console.error("Teams host did not initialize the tab", error);
          if (live) setHost({ status: "failed" });
        },
      );
    const off = teams.onThemeChange(setTheme);
    return () => {
      live = false;
      off();
    };
  }, [teams, i18n]);

  // The mailbox's time zone is read once the API client exists; until it answers (or if it cannot) the
  // views use the browser's zone, so neither app.initialize() nor the first render waits for it.
  const api = host.status === "ready" ? host.api : undefined;
  useEffect(() => {
    if (!api) return;
    const controller = new AbortController();
    api.mailboxSettings(controller.signal).then(
      (settings) => {
        if (!controller.signal.aborted) setMailbox({ status: "ready", settings });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        console.warn("Mailbox settings could not be read; times are shown in the browser's zone", error);
        setMailbox({ status: "failed" });
      },
    );
    return () => controller.abort();
  }, [api]);

  const env = useMemo<TabEnvironment | undefined>(() => {
    if (host.status !== "ready") return undefined;
    const settings = mailbox.status === "ready" ? mailbox.settings : undefined;
    return {
      api: host.api,
      locale: host.context.locale,
      timeZone: settings?.timeZone ?? host.context.timeZone,
      mailboxStatus: mailbox.status,
      mailbox: settings,
      openLink: (url) => teams.openLink(url),
    };
  }, [host, teams, mailbox]);

  return (
    <I18nextProvider i18n={i18n}>
      {/* Layout lives on an inner element: Fluent copies the provider's class to portal mount nodes. */}
      <FluentProvider theme={fluentTheme} data-theme={theme}>
        <div className={styles.root}>
          {host.status === "connecting" ? (
            <Loading label={i18n.t("app.connecting")} />
          ) : host.status === "failed" || !env ? (
            <EmptyState title={i18n.t("app.notInTeams")}>{i18n.t("app.notInTeamsDetail")}</EmptyState>
          ) : (
            <TabEnvironmentContext.Provider value={env}>
              {view === "admin" ? (
                <Suspense fallback={<Loading />}>
                  <AdminApp />
                </Suspense>
              ) : (
                <Suspense fallback={<Loading />}>
                  <UserApp />
                </Suspense>
              )}
            </TabEnvironmentContext.Provider>
          )}
        </div>
      </FluentProvider>
    </I18nextProvider>
  );
}
