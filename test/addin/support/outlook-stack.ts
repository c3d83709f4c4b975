/**
 * What the add-in's end-to-end tests run against: the tenant emulator and the service (port 0, test
 * database) from `startStack()`, consented for Contoso, with the built task pane under /addin/, the
 * dev routes (demo users, SSO tokens from the emulator) and the Outlook dev host with its Office shim.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { Agent, fetch as undiciFetch } from "undici";
import { loadConfig } from "../../../src/config.ts";
import { emulatorDevIdentity } from "../../../src/server/dev/dev-identity.ts";
import { type DevIdentity, devRoutes } from "../../../src/server/dev/dev-routes.ts";
import { outlookDevHost } from "../../../src/server/dev/outlook-dev-host.ts";
import { repoRoot } from "../../support/database.ts";
import { type Stack, startStack } from "../../support/stack.ts";
import { ensureAddinBuilt } from "./build.ts";

export const artifacts = path.join(repoRoot, "test-artifacts", "addin");

export async function startOutlookStack(): Promise<Stack> {
  ensureAddinBuilt();
  mkdirSync(artifacts, { recursive: true });
  let started: Stack | undefined;
  const running = () => {
    if (!started) throw new Error("The stack is still starting");
    return started;
  };
  // The dev routes resolve the emulator and database of the stack when a request arrives.
  const identity: DevIdentity = {
    listUsers: () => emulatorDevIdentity(running().emulator, running().product.database).listUsers(),
    signInToken: (tenantId, upn) => running().emulator.signInToken(tenantId, upn),
  };
  started = await startStack({
    env: { DEV_HOSTS: "false" },
    plugins: [devRoutes(identity), outlookDevHost({ devHostDir: path.join(repoRoot, "addin", "dev-host") })],
  });
  const consent = await started.consent();
  if (consent.status >= 400) {
    await started.stop();
    throw new Error(`Admin consent for the test tenant failed: ${consent.status} ${consent.text}`);
  }
  return started;
}

export interface GraphEvent {
  id: string;
  subject: string;
  start: { dateTime: string; timeZone: string };
  end: { dateTime: string; timeZone: string };
  attendees: { emailAddress: { address: string } }[];
}

/** Reads a user's calendar from the emulator's Graph with an app-only token, as Quorum itself would. */
export async function calendarView(stack: Stack, upn: string, start: Date, end: Date): Promise<GraphEvent[]> {
  const tenant = stack.tenants[0]!;
  const agent = new Agent({ connect: { ca: [stack.emulator.caCertPem] } });
  try {
    const { clientId, clientSecret } = loadConfig({}).m365;
    const tokenResponse = await undiciFetch(
      `${stack.emulator.authorityHost}/${tenant.id}/oauth2/v2.0/token`,
      {
        method: "POST",
        dispatcher: agent,
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "client_credentials",
          client_id: clientId,
          client_secret: clientSecret,
          scope: "https://graph.microsoft.com/.default",
        }).toString(),
      },
    );
    const token = (await tokenResponse.json()) as { access_token?: string };
    if (!token.access_token) throw new Error(`No app token from the emulator: ${tokenResponse.status}`);
    const url = new URL(`${stack.emulator.graphBaseUrl}/users/${encodeURIComponent(upn)}/calendarView`);
    url.searchParams.set("startDateTime", start.toISOString());
    url.searchParams.set("endDateTime", end.toISOString());
    url.searchParams.set("$top", "500");
    const events: GraphEvent[] = [];
    let next: string | undefined = url.toString();
    while (next) {
      const res = await undiciFetch(next, {
        dispatcher: agent,
        headers: { authorization: `Bearer ${token.access_token}` },
      });
      const page = (await res.json()) as { value?: GraphEvent[]; "@odata.nextLink"?: string };
      if (!res.ok || !page.value) throw new Error(`calendarView answered ${res.status}`);
      events.push(...page.value);
      next = page["@odata.nextLink"];
    }
    return events;
  } finally {
    await agent.close();
  }
}
