/**
 * Serves the built Teams tab (`dist/tab`) under `/tab/` in every mode. Hashed assets are cached for a
 * year; the HTML entry is revalidated so a new build is picked up at once.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";
import { DomainError } from "../../../core/errors.ts";
import type { RoutePlugin } from "../app.ts";

export const repoRoot = path.resolve(import.meta.dirname, "../../../..");

export interface StaticSite {
  /** URL prefix with slashes on both sides, e.g. `/tab/`. */
  prefix: string;
  /** Folder of the built site. */
  root: string;
  /** Command that builds it, for the error shown when it is missing. */
  buildHint: string;
}

export const tabSite: StaticSite = {
  prefix: "/tab/",
  root: path.join(repoRoot, "dist", "tab"),
  buildHint: "npm run build",
};

export function staticSite(site: StaticSite): RoutePlugin {
  return async function register(app: FastifyInstance): Promise<void> {
    if (!existsSync(path.join(site.root, "index.html"))) {
      app.get(`${site.prefix}*`, async () => {
        throw new DomainError(
          "SERVICE_UNAVAILABLE",
          `The ${site.prefix} site is not built. Run \`${site.buildHint}\` and restart.`,
        );
      });
      return;
    }
    const bare = site.prefix.replace(/\/$/, "");
    app.get(bare, async (request, reply) => {
      const query = request.url.slice(bare.length);
      return reply.redirect(`${site.prefix}${query.startsWith("?") ? query : ""}`, 301);
    });
    await app.register(fastifyStatic, {
      root: site.root,
      prefix: site.prefix,
      decorateReply: false,
      index: ["index.html"],
      cacheControl: false,
      setHeaders(reply, filePath) {
        reply.header(
          "cache-control",
          filePath.endsWith(".html") ? "no-cache" : "public, max-age=31536000, immutable",
        );
      },
    });
  };
}
