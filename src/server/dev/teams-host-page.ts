/**
 * The Teams dev host: a page that frames the tab (same origin) and answers the teams-js host protocol
 * the way Teams does — initialize, getContext, authentication.getAuthToken (with emulator SSO tokens for
 * the demo user chosen in the picker) and themeChange events. It is how the tab runs outside Teams and
 * the harness of the tab's end-to-end tests.
 *
 * Query parameters preselect the state: `tab` (schedule|admin), `user` (UPN), `theme`
 * (default|dark|contrast), `locale` (en-US, pt-BR, fr-FR, sv-SE).
 */

const script = `
(() => {
  const params = new URLSearchParams(location.search);
  const state = {
    tab: params.get("tab") === "admin" ? "admin" : "schedule",
    user: params.get("user") || "",
    theme: ["default", "dark", "contrast"].includes(params.get("theme")) ? params.get("theme") : "default",
    locale: params.get("locale") || "en-US",
    users: [],
  };
  const $ = (id) => document.getElementById(id);
  const frame = $("tab-frame");
  const log = (text) => {
    const li = document.createElement("li");
    li.textContent = new Date().toISOString().slice(11, 19) + " " + text;
    $("host-log").prepend(li);
    while ($("host-log").children.length > 50) $("host-log").lastElementChild.remove();
  };
  const currentUser = () => state.users.find((u) => u.upn === state.user);
  const syncUrl = () => {
    const q = new URLSearchParams({ tab: state.tab, user: state.user, theme: state.theme, locale: state.locale });
    history.replaceState(null, "", location.pathname + "?" + q.toString());
  };
  const loadTab = () => {
    syncUrl();
    document.body.dataset.theme = state.theme;
    frame.src = "/tab/?view=" + state.tab + "&host=dev";
  };
  const reply = (msg, args) => {
    frame.contentWindow.postMessage({ id: msg.id, uuidAsString: msg.uuidAsString, args }, location.origin);
  };
  const runtime = {
    apiVersion: 4,
    hostVersionsInfo: { adaptiveCardSchemaVersion: { majorVersion: 1, minorVersion: 5 } },
    isLegacyTeams: false,
    supports: {
      appInstallDialog: {},
      authentication: {},
      dialog: { card: {}, url: {}, update: {} },
      pages: { appButton: {}, tabs: {}, config: {}, backStack: {}, fullTrust: {} },
      teamsCore: {},
      chat: {},
      call: {},
    },
  };
  window.addEventListener("message", async (event) => {
    if (event.source !== frame.contentWindow || event.origin !== location.origin) return;
    const msg = event.data;
    if (!msg || typeof msg.func !== "string") return;
    const user = currentUser();
    switch (msg.func) {
      case "initialize":
        log("initialize");
        reply(msg, ["content", "web", JSON.stringify(runtime), "2.58.0"]);
        return;
      case "getContext":
        log("getContext");
        reply(msg, [
          {
            locale: state.locale,
            theme: state.theme,
            entityId: state.tab,
            tid: user ? user.tenantId : undefined,
            userObjectId: user ? user.userId : undefined,
            userPrincipalName: user ? user.upn : undefined,
            loginHint: user ? user.upn : undefined,
            hostClientType: "web",
            hostName: "Teams",
            frameContext: "content",
            appSessionId: "dev-host-session",
          },
        ]);
        return;
      case "authentication.getAuthToken": {
        if (!user) {
          log("getAuthToken: no user chosen");
          reply(msg, [false, "No demo user is chosen in the dev host."]);
          return;
        }
        try {
          const res = await fetch("/dev/sso-token", {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ tenantId: user.tenantId, upn: user.upn }),
          });
          const body = await res.json();
          if (!res.ok) throw new Error(body && body.error ? body.error.message : "HTTP " + res.status);
          log("getAuthToken: token for " + user.upn);
          reply(msg, [true, body.token]);
        } catch (error) {
          log("getAuthToken failed: " + error.message);
          reply(msg, [false, error.message]);
        }
        return;
      }
      case "executeDeepLink":
      case "openLink": {
        const url = String(msg.args && msg.args[0]);
        log(msg.func + ": " + url);
        // Teams opens web pages in the browser; deep links into Teams itself are only logged here.
        if (/^https?:/.test(url) && !url.startsWith("https://teams.microsoft.com/")) window.open(url, "_blank");
        reply(msg, [true]);
        return;
      }
      default:
        log("(not answered) " + msg.func);
    }
  });
  const fillUsers = () => {
    const select = $("host-user");
    select.replaceChildren();
    for (const u of state.users) {
      const option = document.createElement("option");
      option.value = u.upn;
      option.textContent =
        u.displayName + " (" + u.upn + ", " + u.tenantName + ")" + (u.roles.length ? " - " + u.roles.join(", ") : "");
      select.append(option);
    }
    if (!currentUser() && state.users.length > 0) {
      const isAdmin = (u) => u.roles.includes("tenant admin");
      const pick = state.users.find((u) => (state.tab === "admin" ? isAdmin(u) : !isAdmin(u)));
      state.user = (pick || state.users[0]).upn;
    }
    select.value = state.user;
  };
  $("host-tab").value = state.tab;
  $("host-theme").value = state.theme;
  $("host-locale").value = state.locale;
  $("host-tab").addEventListener("change", (e) => { state.tab = e.target.value; loadTab(); });
  $("host-user").addEventListener("change", (e) => { state.user = e.target.value; loadTab(); });
  $("host-locale").addEventListener("change", (e) => { state.locale = e.target.value; loadTab(); });
  $("host-theme").addEventListener("change", (e) => {
    state.theme = e.target.value;
    document.body.dataset.theme = state.theme;
    syncUrl();
    log("themeChange " + state.theme);
    frame.contentWindow.postMessage({ func: "themeChange", args: [state.theme] }, location.origin);
  });
  fetch("/dev/users")
    .then(async (res) => {
      const body = await res.json();
      if (!res.ok) throw new Error(body && body.error ? body.error.message : "HTTP " + res.status);
      state.users = body.users;
      fillUsers();
      document.body.dataset.ready = "true";
      loadTab();
    })
    .catch((error) => {
      $("host-error").textContent = "Demo users could not be loaded: " + error.message;
      $("host-error").hidden = false;
    });
})();
`;

export function teamsHostPage(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>Teams dev host - Quorum</title>
<style>
  :root { color-scheme: light dark; font-family: "Segoe UI", system-ui, sans-serif; }
  body { margin: 0; display: grid; grid-template-rows: auto 1fr; height: 100vh; background: #ebebeb; color: #242424; }
  body[data-theme="dark"] { background: #1f1f1f; color: #fff; }
  body[data-theme="contrast"] { background: #000; color: #fff; }
  header { display: flex; flex-wrap: wrap; gap: 12px; align-items: end; padding: 8px 16px; background: #464775; color: #fff; }
  header h1 { font-size: 16px; margin: 0 16px 6px 0; }
  label { display: grid; gap: 2px; font-size: 12px; }
  select { font: inherit; padding: 4px; min-width: 120px; }
  main { display: grid; grid-template-columns: 1fr 260px; min-height: 0; }
  iframe { width: 100%; height: 100%; border: 0; background: transparent; }
  aside { overflow: auto; font: 11px ui-monospace, monospace; padding: 8px; border-left: 1px solid #8886; }
  aside ul { list-style: none; margin: 0; padding: 0; }
  #host-error { background: #fde7e9; color: #751d1f; padding: 8px 16px; margin: 0; }
  a { color: inherit; }
</style>
</head>
<body data-theme="default">
<header>
  <h1>Teams dev host</h1>
  <label>Tab <select id="host-tab"><option value="schedule">Schedule</option><option value="admin">Admin</option></select></label>
  <label>Signed-in user <select id="host-user"></select></label>
  <label>Theme <select id="host-theme"><option value="default">Light</option><option value="dark">Dark</option><option value="contrast">High contrast</option></select></label>
  <label>Language <select id="host-locale"><option value="en-US">English (US)</option><option value="pt-BR">Português (Brasil)</option><option value="fr-FR">Français</option><option value="sv-SE">Svenska</option></select></label>
  <a href="/">Start page</a>
</header>
<main>
  <div><p id="host-error" role="alert" hidden></p><iframe id="tab-frame" title="Quorum tab"></iframe></div>
  <aside aria-label="Host protocol log"><ul id="host-log"></ul></aside>
</main>
<script>${script}</script>
</body>
</html>`;
}
