/**
 * Dev only: a local Teams-like chat with the bot, so a person can try it offline. The page posts real
 * Activities (Teams channel data, personal scope) to POST /api/messages with `serviceUrl` pointing at a
 * small Bot Connector kept here in memory; it shows the bot's replies and renders its Adaptive Cards.
 * Its user picker offers the people of the emulator's demo tenants only: the page has no sign-in, and the
 * same database may hold real tenants' directories.
 */
import { randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { DEMO } from "../../emulator/seed.ts";
import type { Database } from "../../store/db.ts";
import { pickablePeople } from "../../store/members.ts";

export const botChatPath = "/dev/bot";
const connectorPath = "/dev/bot/connector";
const demoTenantIds = [DEMO.contoso.id, DEMO.fabrikam.id];

interface Captured {
  readonly seq: number;
  readonly id: string;
  readonly activity: Record<string, unknown>;
  readonly updates?: string;
}

export function botChatRoutes(deps: { database: Database }) {
  return async (app: FastifyInstance): Promise<void> => {
    const log: Captured[] = [];
    const byConversation = new Map<string, Captured[]>();
    let seq = 0;
    const record = (conversationId: string, activity: Record<string, unknown>, updates?: string) => {
      const id = updates ?? `bot-${randomUUID()}`;
      const item: Captured = { seq: ++seq, id, activity, ...(updates ? { updates } : {}) };
      log.push(item);
      if (log.length > 2000) log.shift();
      const list = byConversation.get(conversationId) ?? [];
      list.push(item);
      byConversation.set(conversationId, list.slice(-500));
      return id;
    };
    const activityBody = z.record(z.string(), z.unknown());
    const params = z.object({ conversationId: z.string().min(1), activityId: z.string().optional() });

    app.post(`${connectorPath}/v3/conversations/:conversationId/activities`, async (request) => {
      const p = params.parse(request.params);
      return { id: record(p.conversationId, activityBody.parse(request.body)) };
    });
    app.post(`${connectorPath}/v3/conversations/:conversationId/activities/:activityId`, async (request) => {
      const p = params.parse(request.params);
      return { id: record(p.conversationId, activityBody.parse(request.body)) };
    });
    app.put(`${connectorPath}/v3/conversations/:conversationId/activities/:activityId`, async (request) => {
      const p = params.parse(request.params);
      return { id: record(p.conversationId, activityBody.parse(request.body), p.activityId) };
    });
    app.get(`${botChatPath}/conversations/:conversationId`, async (request) => {
      const p = params.parse(request.params);
      const after = z.coerce
        .number()
        .int()
        .min(0)
        .default(0)
        .parse((request.query as { after?: string }).after);
      return { activities: (byConversation.get(p.conversationId) ?? []).filter((a) => a.seq > after) };
    });
    app.get(`${botChatPath}/users`, async () => {
      const rows = await pickablePeople(deps.database.db, demoTenantIds, 200);
      return { users: rows };
    });
    app.get(botChatPath, async (_request, reply) => reply.type("text/html; charset=utf-8").send(page));
  };
}

const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Quorum bot — local chat</title>
<style>
  :root { font-family: "Segoe UI", system-ui, sans-serif; color: #242424; background: #f5f5f5; }
  body { margin: 0; display: flex; flex-direction: column; height: 100vh; }
  header { background: #464775; color: #fff; padding: 10px 16px; display: flex; gap: 12px; align-items: center; flex-wrap: wrap; }
  header h1 { font-size: 16px; margin: 0 12px 0 0; }
  header label { font-size: 13px; display: flex; gap: 6px; align-items: center; }
  header select { font: inherit; padding: 2px 4px; }
  main { flex: 1; overflow-y: auto; padding: 16px; display: flex; flex-direction: column; gap: 10px; }
  .msg { max-width: 620px; padding: 8px 12px; border-radius: 6px; background: #fff; box-shadow: 0 1px 2px rgba(0,0,0,.12); white-space: pre-wrap; }
  .me { align-self: flex-end; background: #e8ebfa; }
  .bot { align-self: flex-start; }
  .card { display: flex; flex-direction: column; gap: 6px; white-space: normal; }
  .card .title { font-weight: 600; font-size: 15px; }
  .card .subtle { color: #616161; font-size: 13px; }
  .card .attention { color: #c4314b; }
  .card .good { color: #237b4b; }
  .card .row { display: flex; gap: 10px; align-items: center; border-top: 1px solid #e0e0e0; padding-top: 6px; }
  .card .row > .col { flex: 1; }
  .card .row > .col.auto { flex: 0 0 auto; }
  .card .actions { display: flex; gap: 6px; flex-wrap: wrap; }
  .card button, .card a.button { font: inherit; font-size: 13px; padding: 4px 12px; border: 1px solid #5b5fc7; background: #fff; color: #5b5fc7; border-radius: 4px; cursor: pointer; text-decoration: none; }
  .card button:hover { background: #5b5fc7; color: #fff; }
  .card dl { display: grid; grid-template-columns: auto 1fr; gap: 2px 12px; margin: 0; }
  .card dt { font-weight: 600; }
  .card dd { margin: 0; }
  form { display: flex; gap: 8px; padding: 12px 16px; background: #fff; border-top: 1px solid #e0e0e0; }
  form input { flex: 1; font: inherit; padding: 8px; border: 1px solid #c7c7c7; border-radius: 4px; }
  form button { font: inherit; padding: 8px 16px; background: #5b5fc7; color: #fff; border: 0; border-radius: 4px; }
  .error { color: #c4314b; }
</style>
</head>
<body>
<header>
  <h1>Quorum bot — local chat</h1>
  <label>User <select id="user" aria-label="User"></select></label>
  <label>Language <select id="locale" aria-label="Language">
    <option value="en-US">English</option><option value="pt-BR">Português (Brasil)</option>
    <option value="fr-FR">Français</option><option value="sv-SE">Svenska</option>
  </select></label>
</header>
<main id="log" aria-live="polite"></main>
<form id="send">
  <input id="text" autocomplete="off" aria-label="Message" placeholder="Type a command, e.g. help">
  <button type="submit">Send</button>
</form>
<script>
const BOT = { id: "28:quorum-local", name: "Quorum" };
const $ = (id) => document.getElementById(id);
let users = [];
let after = 0;
const shown = new Map();

function esc(s) { return String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]); }
function md(s) {
  return esc(s).replace(/\\*\\*(.+?)\\*\\*/g, "<b>$1</b>").replace(/\`(.+?)\`/g, "<code>$1</code>")
    .replace(/\\[([^\\]]+)\\]\\((https?:[^)\\s]+)\\)/g, '<a href="$2" target="_blank" rel="noopener">$1</a>');
}
function user() { return users[Number($("user").value)]; }
function conversationId(u) { return "a:local-" + u.userId; }

function activity(fields) {
  const u = user();
  const locale = $("locale").value;
  return Object.assign({
    id: "in-" + crypto.randomUUID(), channelId: "msteams", serviceUrl: location.origin + "${connectorPath}",
    timestamp: new Date().toISOString(), locale, localTimezone: u.timeZone || "UTC",
    from: { id: "29:" + u.userId, name: u.displayName, aadObjectId: u.userId }, recipient: BOT,
    conversation: { id: conversationId(u), conversationType: "personal", tenantId: u.tenantId },
    channelData: { tenant: { id: u.tenantId } },
    entities: [{ type: "clientInfo", locale, timezone: u.timeZone || "UTC", platform: "Web" }],
  }, fields);
}
async function post(body) {
  const res = await fetch("/api/messages", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error("POST /api/messages: " + res.status + " " + text);
  return text ? JSON.parse(text) : undefined;
}

function renderElement(el) {
  const d = document.createElement("div");
  switch (el.type) {
    case "TextBlock": {
      d.innerHTML = md(el.text || "");
      if (el.size === "Medium" || el.weight === "Bolder") d.className = el.size === "Medium" ? "title" : "";
      if (el.isSubtle) d.classList.add("subtle");
      if (el.color === "Attention") d.classList.add("attention");
      if (el.color === "Good") d.classList.add("good");
      if (el.weight === "Bolder") d.style.fontWeight = "600";
      return d;
    }
    case "FactSet": {
      const dl = document.createElement("dl");
      for (const f of el.facts || []) dl.innerHTML += "<dt>" + esc(f.title) + "</dt><dd>" + md(f.value) + "</dd>";
      return dl;
    }
    case "ColumnSet": {
      d.className = "row";
      for (const c of el.columns || []) {
        const col = document.createElement("div");
        col.className = "col" + (c.width === "auto" ? " auto" : "");
        for (const item of c.items || []) col.appendChild(renderElement(item));
        d.appendChild(col);
      }
      return d;
    }
    case "ActionSet": return renderActions(el.actions || []);
    case "Container": { for (const item of el.items || []) d.appendChild(renderElement(item)); return d; }
    default: d.textContent = "[" + el.type + "]"; return d;
  }
}
function renderActions(actions) {
  const d = document.createElement("div");
  d.className = "actions";
  for (const a of actions) {
    if (a.type === "Action.OpenUrl") {
      const link = document.createElement("a");
      link.className = "button"; link.href = a.url; link.target = "_blank"; link.rel = "noopener"; link.textContent = a.title;
      d.appendChild(link);
    } else if (a.type === "Action.Execute" || a.type === "Action.Submit") {
      const b = document.createElement("button");
      b.type = "button"; b.textContent = a.title;
      b.addEventListener("click", () => execute(b, a));
      d.appendChild(b);
    }
  }
  return d;
}
function renderCard(card) {
  const d = document.createElement("div");
  d.className = "card";
  for (const el of card.body || []) d.appendChild(renderElement(el));
  if (card.actions && card.actions.length) d.appendChild(renderActions(card.actions));
  return d;
}
function renderActivity(a) {
  const box = document.createElement("div");
  box.className = "msg bot";
  if (a.text) box.innerHTML = md(a.text);
  for (const att of a.attachments || []) {
    if (att.contentType === "application/vnd.microsoft.card.adaptive") box.appendChild(renderCard(att.content));
  }
  return box;
}
async function execute(button, action) {
  const box = button.closest(".msg");
  try {
    const res = await post(activity({ type: "invoke", name: "adaptiveCard/action",
      value: { action: { type: "Action.Execute", verb: action.verb, data: action.data }, trigger: "manual" } }));
    if (res && res.type === "application/vnd.microsoft.card.adaptive") box.replaceChildren(renderCard(res.value));
    else if (res && res.value && res.value.message) box.appendChild(Object.assign(document.createElement("div"), { className: "error", textContent: res.value.message }));
  } catch (e) { box.appendChild(Object.assign(document.createElement("div"), { className: "error", textContent: e.message })); }
}
function say(text, who) {
  const d = document.createElement("div");
  d.className = "msg " + who; d.textContent = text; $("log").appendChild(d); d.scrollIntoView();
}
async function poll() {
  const u = user();
  if (u) {
    try {
      const res = await fetch("${botChatPath}/conversations/" + encodeURIComponent(conversationId(u)) + "?after=" + after);
      const { activities } = await res.json();
      for (const item of activities) {
        after = Math.max(after, item.seq);
        const el = renderActivity(item.activity);
        if (item.updates && shown.has(item.updates)) shown.get(item.updates).replaceWith(el);
        else $("log").appendChild(el);
        shown.set(item.id, el);
        el.scrollIntoView();
      }
    } catch (e) { console.error(e); }
  }
  setTimeout(poll, 700);
}
$("send").addEventListener("submit", async (e) => {
  e.preventDefault();
  const text = $("text").value.trim();
  if (!text || !user()) return;
  $("text").value = "";
  say(text, "me");
  try { await post(activity({ type: "message", text, textFormat: "plain" })); }
  catch (err) { say(err.message, "bot error"); }
});
$("user").addEventListener("change", () => { $("log").replaceChildren(); after = 0; shown.clear(); });
(async () => {
  users = (await (await fetch("${botChatPath}/users")).json()).users;
  if (users.length === 0) { say("No directory imported yet. Connect the demo tenant from the Admin tab first (admin consent), then reload.", "bot error"); return; }
  users.forEach((u, i) => $("user").add(new Option(u.displayName + " (" + u.upn + ")", String(i))));
  poll();
})();
</script>
</body>
</html>`;
