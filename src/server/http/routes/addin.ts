/**
 * Serves the Outlook add-in: the built task pane (`dist/addin`) under `/addin/`, and the XML manifest at
 * `/addin/manifest.xml` with its placeholders filled so its URLs point at this service. The pages load
 * Office.js from Microsoft's CDN; when the Outlook dev host is served, it swaps that for its Office shim.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { DomainError } from "../../../core/errors.ts";
import type { RoutePlugin } from "../app.ts";

export const OFFICE_JS_CDN_URL = "https://appsforoffice.microsoft.com/lib/1/hosted/office.js";

export interface AddinRoutesOptions {
  /** The Vite output folder of the add-in (`dist/addin`). */
  distDir: string;
  /** The repository's `manifest.xml`. */
  manifestPath: string;
  /** Public base URL of the service; when unset the request's own origin is used. */
  publicUrl: string | undefined;
  /** Entra application (client) id, the SSO resource of the manifest's WebApplicationInfo. */
  clientId: string;
}

const PAGES = new Set(["index.html", "commands.html"]);

export function addinRoutes(options: AddinRoutesOptions): RoutePlugin {
  return async function register(app: FastifyInstance): Promise<void> {
    const origin = (request: FastifyRequest) => options.publicUrl ?? `${request.protocol}://${request.host}`;

    async function page(name: string, reply: FastifyReply) {
      const file = path.join(options.distDir, name);
      if (!existsSync(file)) {
        throw new DomainError(
          "SERVICE_UNAVAILABLE",
          "The Outlook add-in is not built yet. Run `npm run build` and reload.",
        );
      }
      const html = await readFile(file, "utf8");
      return reply.type("text/html; charset=utf-8").header("cache-control", "no-cache").send(html);
    }

    app.get("/addin", (_request, reply) => reply.redirect("/addin/"));
    app.get("/addin/", (_request, reply) => page("index.html", reply));
    for (const name of PAGES) app.get(`/addin/${name}`, (_request, reply) => page(name, reply));
    app.get("/addin/manifest.xml", async (request, reply) => {
      const xml = await readFile(options.manifestPath, "utf8");
      return reply
        .type("application/xml; charset=utf-8")
        .send(fillManifest(xml, { publicUrl: origin(request), clientId: options.clientId }));
    });
    await app.register(fastifyStatic, {
      root: options.distDir,
      prefix: "/addin/",
      decorateReply: false,
      wildcard: true,
      index: false,
    });
  };
}

/** Fills the `{{PUBLIC_URL}}`, `{{PUBLIC_HOST}}` and `{{CLIENT_ID}}` placeholders of manifest.xml. */
export function fillManifest(xml: string, values: { publicUrl: string; clientId: string }): string {
  const base = values.publicUrl.replace(/\/$/, "");
  return xml
    .replaceAll("{{PUBLIC_URL}}", base)
    .replaceAll("{{PUBLIC_HOST}}", new URL(base).host)
    .replaceAll("{{CLIENT_ID}}", values.clientId);
}
