/**
 * The admin-consent flow as a browser runs it, against a product at any URL (in this process or a child
 * process) and the emulator's Entra: sign in, start consent, follow Entra's redirect, accept (or cancel)
 * as the admin, and land on the product's callback. Returns the callback's answer.
 */
import { decodeJwt } from "jose";
import { type Agent, fetch as undiciFetch } from "undici";
import type { Emulator } from "../../src/emulator/index.ts";

export interface ConsentOptions {
  /** Who signs in to the tab and on the consent page (default: the tenant's Global Administrator). */
  adminUpn?: string;
  action?: "accept" | "cancel";
  /** Sees the callback URL Entra redirected to (to replay it). */
  onCallback?: (url: string) => void;
}

export async function runConsentFlow(input: {
  /** http://127.0.0.1:PORT of the product. */
  productUrl: string;
  emulator: Pick<Emulator, "tenants" | "signInToken">;
  /** Trusts the emulator's certificate. */
  agent: Agent;
  tenantId: string;
  options?: ConsentOptions;
}): Promise<Awaited<ReturnType<typeof undiciFetch>>> {
  const { emulator, agent, tenantId, options = {} } = input;
  const tenant = emulator.tenants.find((t) => t.id === tenantId);
  if (!tenant) throw new Error(`unknown emulator tenant ${tenantId}`);
  const token = await emulator.signInToken(tenantId, options.adminUpn ?? tenant.adminUpn);
  const adminId = String(decodeJwt(token).oid);
  const started = await undiciFetch(`${input.productUrl}/api/admin/consent/start`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: "{}",
  });
  const startedText = await started.text();
  if (started.status !== 200) throw new Error(`consent start failed: ${started.status} ${startedText}`);
  const { consentUrl } = JSON.parse(startedText) as { consentUrl: string };
  const toEntra = await undiciFetch(consentUrl, { redirect: "manual" });
  const entraUrl = toEntra.headers.get("location");
  await toEntra.arrayBuffer();
  if (toEntra.status !== 302 || !entraUrl) throw new Error(`consent redirect failed: ${toEntra.status}`);
  const query = new URL(entraUrl).searchParams;
  const form = new URLSearchParams({
    client_id: query.get("client_id") ?? "",
    scope: query.get("scope") ?? "",
    redirect_uri: query.get("redirect_uri") ?? "",
    state: query.get("state") ?? "",
    admin: `${tenantId}|${adminId}`,
    action: options.action ?? "accept",
  });
  const answered = await undiciFetch(entraUrl, {
    method: "POST",
    dispatcher: agent,
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: form.toString(),
  });
  const callback = answered.headers.get("location");
  await answered.arrayBuffer();
  if (answered.status !== 302 || !callback) throw new Error(`emulator consent answered ${answered.status}`);
  options.onCallback?.(callback);
  return undiciFetch(callback, { redirect: "manual" });
}
