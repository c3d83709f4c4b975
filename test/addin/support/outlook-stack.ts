/**
 * What the add-in's end-to-end tests run against: the tenant emulator and the service (port 0, test
 * database) from `startStack()`, consented for Contoso, with the built task pane under /addin/, the
 * dev routes (demo users, SSO tokens from the emulator) and the Outlook dev host with its Office shim;
 * plus headless Debian Chromium through playwright-core.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { type Browser, chromium, type Frame } from "playwright-core";
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

export async function launchChromium(): Promise<Browser> {
  mkdirSync(artifacts, { recursive: true });
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
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

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown; html: string }[];
}

/** Runs axe-core in the task pane's frame and returns its serious and critical violations. */
export async function seriousViolations(frame: Frame): Promise<AxeViolation[]> {
  // Let transitions settle so axe sees the final colours.
  await frame.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished.catch(() => a))));
  if (!(await frame.evaluate(() => "axe" in window))) {
    await frame.addScriptTag({ path: path.join(repoRoot, "node_modules", "axe-core", "axe.min.js") });
  }
  const result = (await frame.evaluate(() => {
    const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<unknown> } })
      .axe;
    // Tabster's focus sentinels are focusable on purpose; Fluent UI documents them as an axe false positive.
    return axe.run({ exclude: [["[data-tabster-dummy]"]] }, { resultTypes: ["violations"] });
  })) as { violations: AxeViolation[] };
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({
      ...v,
      nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target, html: n.html.slice(0, 200) })),
    }));
}
