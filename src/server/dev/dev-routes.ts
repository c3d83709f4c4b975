/**
 * Dev-only routes (registered when `config.devHosts` is on): the start page at `/`, the Teams dev host at
 * `/dev/teams`, the demo users it offers, `POST /dev/sso-token`, which asks the tenant emulator for a
 * Teams SSO token so the browser never talks to the emulator itself, and `/dev/emulator-ca.pem`, the
 * emulator's certificate to trust (linked from the start page).
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { DomainError } from "../../core/errors.ts";
import { escapeHtml } from "./html.ts";
import { devLinks } from "./links.ts";
import { teamsHostPage } from "./teams-host-page.ts";

export interface DemoUser {
  tenantId: string;
  tenantName: string;
  userId: string;
  upn: string;
  displayName: string;
  /** Quorum roles when known (owner, admin, member), for the picker's labels. */
  roles: string[];
}

export interface DevIdentity {
  /** The demo users of the emulated tenants. */
  listUsers(): Promise<DemoUser[]>;
  /** A Teams SSO token for the user, as `authentication.getAuthToken()` returns it inside Teams. */
  signInToken(tenantId: string, upn: string): Promise<string>;
}

/** The tenant emulator the service talks to: where it answers and the certificate it presents. */
export interface EmulatorCertificate {
  /** https://127.0.0.1:PORT */
  readonly url: string;
  readonly caCertPem: string;
}

const ssoTokenBody = z.object({ tenantId: z.string().min(1), upn: z.string().min(3) });

export const EMULATOR_CA_PATH = "/dev/emulator-ca.pem";

export function devRoutes(identity: DevIdentity | undefined, emulator?: EmulatorCertificate) {
  return async function register(app: FastifyInstance): Promise<void> {
    app.get("/", async (_request, reply) => {
      const items = devLinks
        .map(
          (l) =>
            `<li><a href="${escapeHtml(l.href)}">${escapeHtml(l.title)}</a><p>${escapeHtml(l.description)}</p></li>`,
        )
        .join("\n");
      const certificate = emulator
        ? `<h2>The emulator's certificate</h2>
<p><a href="${EMULATOR_CA_PATH}" download="m365-emulator-ca.pem">Emulator CA certificate (PEM)</a>: import it as a
trusted root certification authority in your browser or system (for Node.js tools, name the file in
<code>NODE_EXTRA_CA_CERTS</code>) to call the emulator at ${escapeHtml(emulator.url)} without certificate warnings;
it stays the same for this data directory until 30 days before it expires.</p>`
        : "";
      return reply.type("text/html; charset=utf-8").send(`<!doctype html>
<html lang="en"><head><meta charset="utf-8" /><meta name="viewport" content="width=device-width, initial-scale=1" />
<title>Quorum (development)</title>
<style>
  body { font-family: "Segoe UI", system-ui, sans-serif; max-width: 720px; margin: 40px auto; padding: 0 16px; color: #242424; }
  h1 { font-size: 24px; } li { margin-bottom: 12px; } li p { margin: 2px 0 0; color: #616161; }
  a { color: #5b5fc7; font-weight: 600; }
</style></head>
<body><h1>Quorum — development</h1>
<p>Everything below runs against the local Microsoft 365 tenant emulator.</p>
<ul>
${items}
</ul>
${certificate}
<p><a href="/readyz">Readiness</a></p>
</body></html>`);
    });

    app.get(EMULATOR_CA_PATH, async (_request, reply) => {
      if (!emulator) {
        throw new DomainError("SERVICE_UNAVAILABLE", "The tenant emulator is not running in this mode.");
      }
      return reply
        .type("application/x-pem-file")
        .header("content-disposition", 'attachment; filename="m365-emulator-ca.pem"')
        .send(emulator.caCertPem);
    });

    app.get("/dev/teams", async (_request, reply) =>
      reply.type("text/html; charset=utf-8").header("cache-control", "no-store").send(teamsHostPage()),
    );

    app.get("/dev/users", async () => {
      if (!identity) {
        throw new DomainError("SERVICE_UNAVAILABLE", "The tenant emulator is not running in this mode.");
      }
      return { users: await identity.listUsers() };
    });

    app.post("/dev/sso-token", async (request) => {
      if (!identity) {
        throw new DomainError("SERVICE_UNAVAILABLE", "The tenant emulator is not running in this mode.");
      }
      const body = ssoTokenBody.parse(request.body);
      return { token: await identity.signInToken(body.tenantId, body.upn) };
    });
  };
}
