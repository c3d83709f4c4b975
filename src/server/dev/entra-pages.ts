/**
 * The local tenant emulator's Entra consent page, served through the service's own origin. The emulator
 * keeps its HTTPS authority (with its own certificate) for the clients that trust it explicitly — msal-node,
 * token validation, Graph — while the admin's browser opens `/_entra/{tenant}/v2.0/adminconsent` here and
 * sees no certificate warning. Registered in emulator mode only; against Microsoft the browser goes to
 * login.microsoftonline.com itself.
 */
import type { FastifyInstance } from "fastify";
import { type Agent, fetch as undiciFetch } from "undici";

export const ENTRA_PAGES_PREFIX = "/_entra";

export function entraPages(deps: { authorityHost: string; dispatcher: Agent }) {
  return async function register(app: FastifyInstance): Promise<void> {
    await app.register(async (scope) => {
      // The consent page posts its form back to itself.
      scope.addContentTypeParser(
        "application/x-www-form-urlencoded",
        { parseAs: "string", bodyLimit: 16 * 1024 },
        (_request, body, done) => done(null, body),
      );
      const forward = async (
        method: "GET" | "POST",
        tenant: string,
        query: string,
        body: string | undefined,
      ) => {
        const url = `${deps.authorityHost}/${encodeURIComponent(tenant)}/v2.0/adminconsent${query}`;
        return undiciFetch(url, {
          method,
          dispatcher: deps.dispatcher,
          redirect: "manual",
          ...(body !== undefined
            ? { headers: { "content-type": "application/x-www-form-urlencoded" }, body }
            : {}),
        });
      };
      const answer = async (
        request: { params: unknown; url: string; body?: unknown },
        reply: import("fastify").FastifyReply,
        method: "GET" | "POST",
      ) => {
        const { tenant } = request.params as { tenant: string };
        const query = request.url.includes("?") ? request.url.slice(request.url.indexOf("?")) : "";
        const upstream = await forward(
          method,
          tenant,
          query,
          method === "POST" ? String(request.body ?? "") : undefined,
        );
        const location = upstream.headers.get("location");
        if (location) reply.header("location", location);
        reply.header("content-type", upstream.headers.get("content-type") ?? "text/html; charset=utf-8");
        reply.header("cache-control", "no-store");
        return reply.status(upstream.status).send(Buffer.from(await upstream.arrayBuffer()));
      };
      scope.get(`${ENTRA_PAGES_PREFIX}/:tenant/v2.0/adminconsent`, (request, reply) =>
        answer(request, reply, "GET"),
      );
      scope.post(`${ENTRA_PAGES_PREFIX}/:tenant/v2.0/adminconsent`, (request, reply) =>
        answer(request, reply, "POST"),
      );
    });
  };
}
