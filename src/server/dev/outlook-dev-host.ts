/**
 * The Outlook dev host (dev mode only): `/dev/outlook` shows the task pane in a frame next to a simple
 * compose/read form, and `/dev/outlook/office.js` is the Office host shim that the pane loads instead of
 * Microsoft's Office.js. The pages live in `addin/dev-host/`; SSO tokens come from `POST /dev/sso-token`.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { OFFICE_JS_CDN_URL } from "../http/routes/addin.ts";

export const OFFICE_SHIM_PATH = "/dev/outlook/office.js";

const files = [
  { url: "/dev/outlook", file: "outlook.html", type: "text/html; charset=utf-8" },
  { url: "/dev/outlook/host.js", file: "host.js", type: "text/javascript; charset=utf-8" },
  { url: OFFICE_SHIM_PATH, file: "office-shim.js", type: "text/javascript; charset=utf-8" },
] as const;

export function outlookDevHost(options: { devHostDir: string }) {
  return async function register(app: FastifyInstance): Promise<void> {
    app.addHook("onSend", async (request, reply, payload) => {
      if (typeof payload !== "string" || !request.url.startsWith("/addin/")) return payload;
      if (!String(reply.getHeader("content-type") ?? "").startsWith("text/html")) return payload;
      return payload.replaceAll(OFFICE_JS_CDN_URL, OFFICE_SHIM_PATH);
    });
    for (const entry of files) {
      app.get(entry.url, async (_request, reply) => {
        const body = await readFile(path.join(options.devHostDir, entry.file), "utf8");
        return reply.type(entry.type).header("cache-control", "no-store").send(body);
      });
    }
  };
}
