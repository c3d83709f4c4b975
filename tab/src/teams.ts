/**
 * The tab's one link to the Teams host (teams-js). `connectTeams()` starts `app.initialize()` without
 * blocking the first render; the rest of the tab gets the host's context, theme changes and SSO tokens
 * through the returned object.
 */
import { app, authentication } from "@microsoft/teams-js";
import { viewerTimeZone } from "../../src/ui-shared/format.ts";

export type TeamsTheme = "default" | "dark" | "contrast";

export interface HostContext {
  theme: TeamsTheme;
  locale: string;
  tenantId: string | undefined;
  userId: string | undefined;
  upn: string | undefined;
  /** The tab's entity id from the manifest (e.g. "schedule" or "admin"). */
  entityId: string | undefined;
  /**
   * The IANA time zone the browser reports. The views prefer the user's Outlook mailbox zone and use this
   * one only until it is known (or when it cannot be read).
   */
  timeZone: string;
}

export interface TeamsConnection {
  /** Resolves with the host context once `app.initialize()` and `getContext()` finished. */
  readonly ready: Promise<HostContext>;
  /** An SSO token for Quorum's API (`authentication.getAuthToken`). */
  getToken(): Promise<string>;
  /** Opens a Teams deep link (chat, call, meeting) through the host. */
  openLink(url: string): void;
  /** Calls `handler` whenever the user switches the Teams theme. Returns an unsubscribe function. */
  onThemeChange(handler: (theme: TeamsTheme) => void): () => void;
}

export function toTeamsTheme(value: string | undefined): TeamsTheme {
  return value === "dark" ? "dark" : value === "contrast" ? "contrast" : "default";
}

export function connectTeams(): TeamsConnection {
  const handlers = new Set<(theme: TeamsTheme) => void>();
  const ready = (async (): Promise<HostContext> => {
    await app.initialize();
    const context = await app.getContext();
    app.registerOnThemeChangeHandler((theme) => {
      for (const h of handlers) h(toTeamsTheme(theme));
    });
    app.notifySuccess().catch((error: unknown) => {
      console.error("Teams did not accept the tab's success notification", error);
    });
    return {
      theme: toTeamsTheme(context.app.theme),
      locale: context.app.locale,
      tenantId: context.user?.tenant?.id,
      userId: context.user?.id,
      upn: context.user?.userPrincipalName,
      entityId: context.page.id,
      timeZone: viewerTimeZone(),
    };
  })();
  return {
    ready,
    async getToken() {
      await ready;
      return authentication.getAuthToken();
    },
    openLink(url) {
      app.openLink(url).catch((error: unknown) => {
        console.error("Teams could not open the link", url, error);
      });
    },
    onThemeChange(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
  };
}
