/**
 * v2 admin consent: `GET /{tenant|organizations}/v2.0/adminconsent?client_id&scope&redirect_uri&state`
 * shows the app, the permissions requested and an admin picker (the emulator has no password sign-in),
 * with Accept / Cancel. The form posts back to the same URL; the answer is a redirect to `redirect_uri`
 * with `admin_consent=True&tenant&scope&state`, or `error=access_denied&error_description&state`.
 */
import { ADMIN_CONSENT_ROLES, type Entra } from "./entra.ts";
import type { EmulatorState } from "./state.ts";

export interface ConsentAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, inner: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:"Segoe UI",system-ui,sans-serif;background:#f2f2f2;margin:0}main{max-width:460px;margin:48px auto;background:#fff;padding:32px;box-shadow:0 2px 6px rgba(0,0,0,.2)}
h1{font-size:1.4rem;font-weight:600}ul{padding-left:1.2rem}label{display:block;margin:16px 0 4px}select{width:100%;padding:6px}
.actions{display:flex;gap:8px;justify-content:flex-end;margin-top:24px}button{padding:6px 20px;font-size:1rem;border:1px solid #8a8886;background:#fff;cursor:pointer}
button.primary{background:#0067b8;color:#fff;border-color:#0067b8}.small{color:#605e5c;font-size:.85rem}</style></head>
<body><main>${inner}</main></body></html>`;
}

function redirect(target: string, params: Record<string, string>): ConsentAnswer {
  const url = new URL(target);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return {
    status: 302,
    headers: { location: url.toString(), "content-type": "text/plain" },
    body: `Redirecting to ${url.toString()}`,
  };
}

function errorPage(status: number, code: number, message: string): ConsentAnswer {
  return {
    status,
    headers: { "content-type": "text/html; charset=utf-8" },
    body: page(
      "Sign in to your account",
      `<h1>Sorry, but we’re having trouble signing you in.</h1><p role="alert">AADSTS${code}: ${escapeHtml(message)}</p>`,
    ),
  };
}

const PERMISSION_TEXT: Record<string, string> = {
  "User.Read.All": "Read all users' full profiles",
  "Group.Read.All": "Read all groups",
  "Calendars.ReadWrite": "Read and write calendars in all mailboxes",
  "MailboxSettings.Read": "Read all user mailbox settings",
  "Place.Read.All": "Read all company places",
  "Contacts.ReadWrite": "Read and write contacts in all mailboxes",
  "Tasks.ReadWrite.All": "Read and write all users' tasks and tasklists",
  "TeamsTelephoneNumber.ReadWrite.All": "Read and modify tenant-acquired telephone number details",
};

export function consentPage(
  entra: Entra,
  state: EmulatorState,
  segment: string,
  query: URLSearchParams,
): ConsentAnswer {
  const clientId = query.get("client_id") ?? "";
  const redirectUri = query.get("redirect_uri") ?? "";
  if (clientId !== entra.app.clientId) {
    return errorPage(
      400,
      700016,
      `Application with identifier '${clientId}' was not found in the directory.`,
    );
  }
  if (!/^https?:\/\//.test(redirectUri)) {
    return errorPage(
      400,
      50011,
      `The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${clientId}'.`,
    );
  }
  const multi = ["organizations", "common"].includes(segment.toLowerCase());
  const tenant = entra.resolveTenant(segment);
  if (!tenant && !multi) return errorPage(400, 90002, `Tenant '${segment}' not found.`);
  const tenants = tenant ? [tenant] : state.tenantList();
  const admins = tenants.flatMap((t) =>
    [...t.users.values()].filter((u) => u.kind === "user" && u.accountEnabled).map((u) => ({ t, u })),
  );
  const options = admins
    .map(
      ({ t, u }) =>
        `<option value="${escapeHtml(`${t.id}|${u.id}`)}">${escapeHtml(`${u.displayName} <${u.userPrincipalName}>${u.directoryRoles.length ? ` — ${u.directoryRoles.join(", ")}` : ""}`)}</option>`,
    )
    .join("");
  const perms = entra.app.applicationPermissions
    .map(
      (p) => `<li>${escapeHtml(PERMISSION_TEXT[p] ?? p)} <span class="small">(${escapeHtml(p)})</span></li>`,
    )
    .join("");
  const hidden = ["client_id", "scope", "redirect_uri", "state"]
    .map((k) => `<input type="hidden" name="${k}" value="${escapeHtml(query.get(k) ?? "")}">`)
    .join("");
  const inner = `<p class="small">Microsoft 365 tenant emulator</p><h1>Permissions requested</h1>
<p><strong>${escapeHtml(entra.app.displayName)}</strong> wants to:</p><ul>${perms}</ul>
<p>Accepting grants these permissions for your whole organization. Nobody else will be asked to review them.</p>
<form method="post"><label for="admin">Sign in as</label><select id="admin" name="admin">${options}</select>${hidden}
<div class="actions"><button type="submit" name="action" value="cancel">Cancel</button><button class="primary" type="submit" name="action" value="accept">Accept</button></div></form>`;
  return {
    status: 200,
    headers: { "content-type": "text/html; charset=utf-8" },
    body: page(`${entra.app.displayName}: permissions requested`, inner),
  };
}

export function consentSubmit(
  entra: Entra,
  state: EmulatorState,
  segment: string,
  form: URLSearchParams,
): ConsentAnswer {
  const redirectUri = form.get("redirect_uri") ?? "";
  const stateParam = form.get("state") ?? "";
  if (form.get("client_id") !== entra.app.clientId)
    return errorPage(400, 700016, "Application not found in the directory.");
  if (!/^https?:\/\//.test(redirectUri)) return errorPage(400, 50011, "The redirect URI is not valid.");
  const withState = (p: Record<string, string>) => (stateParam ? { ...p, state: stateParam } : p);
  if (form.get("action") !== "accept") {
    return redirect(
      redirectUri,
      withState({
        error: "access_denied",
        error_description: "AADSTS65004: User declined to consent to access the app.",
      }),
    );
  }
  const [tenantId, userId] = (form.get("admin") ?? "").split("|");
  const tenant = tenantId ? state.tenant(tenantId) : undefined;
  const user = tenant && userId ? tenant.users.get(userId) : undefined;
  const pathTenant = entra.resolveTenant(segment);
  if (!tenant || !user || (pathTenant && pathTenant.id !== tenant.id))
    return errorPage(400, 50034, "The user account does not exist in the directory.");
  // As in Entra: Cloud Application and Application Administrators cannot grant Graph application permissions.
  if (!user.directoryRoles.some((role) => ADMIN_CONSENT_ROLES.includes(role))) {
    return redirect(
      redirectUri,
      withState({
        error: "access_denied",
        error_description: `AADSTS90094: The grant requires admin permission. ${user.userPrincipalName} is not an administrator of ${tenant.name}.`,
      }),
    );
  }
  grantConsent(state, tenant.id, user.id);
  return redirect(
    redirectUri,
    withState({
      admin_consent: "True",
      tenant: tenant.id,
      scope: form.get("scope") ?? "https://graph.microsoft.com/.default",
    }),
  );
}

/** Grants admin consent; `permissions` narrows the application permissions granted (tests of partial grants). */
export function grantConsent(
  state: EmulatorState,
  tenantId: string,
  byUserId: string | null,
  permissions: string[] | null = null,
): boolean {
  const tenant = state.tenant(tenantId);
  if (!tenant) return false;
  // A changed grant invalidates tokens minted under the previous one, as a new service principal grant would.
  const changed =
    tenant.consent.granted && JSON.stringify(tenant.consent.permissions) !== JSON.stringify(permissions);
  tenant.consent = {
    ...tenant.consent,
    granted: true,
    grantedAt: state.clock.now(),
    grantedBy: byUserId,
    permissions,
    generation: tenant.consent.generation + (changed ? 1 : 0),
  };
  return true;
}

export function revokeConsent(state: EmulatorState, tenantId: string): boolean {
  const tenant = state.tenant(tenantId);
  if (!tenant) return false;
  tenant.consent = {
    granted: false,
    grantedAt: null,
    revokedAt: state.clock.now(),
    grantedBy: null,
    generation: tenant.consent.generation + 1,
    permissions: null,
  };
  return true;
}
