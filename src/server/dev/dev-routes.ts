/**
 * Dev-only routes (registered when `config.devHosts` is on): the start page at `/`, the Teams dev host at
 * `/dev/teams`, the demo users it offers, and `POST /dev/sso-token`, which asks the tenant emulator for a
 * Teams SSO token so the browser never talks to the emulator itself.
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

const ssoTokenBody = z.object({ tenantId: z.string().min(1), upn: z.string().min(3) });

export function devRoutes(identity: DevIdentity | undefined) {
  return async function register(app: FastifyInstance): Promise<void> {
    app.get("/", async (_request, reply) => {
      const items = devLinks
        .map(
          (l) =>
            `<li><a href="${escapeHtml(l.href)}">${escapeHtml(l.title)}</a><p>${escapeHtml(l.description)}</p></li>`,
        )
        .join("\n");
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
<p><a href="/readyz">Readiness</a></p>
</body></html>`);
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
