/**
 * The baseline of the first-load benchmarks: a bare Fluent UI v9 page (FluentProvider + one Button) built
 * with the same Vite and React as the tab and the add-in, and a static server for it on 127.0.0.1.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import path from "node:path";
import react from "@vitejs/plugin-react";
import { build } from "vite";

export interface FluentHelloOptions {
  /** The Fluent theme export to render with. */
  theme: "webLightTheme" | "teamsLightTheme";
  label: string;
  /** The public path the page is served under (default "/"). */
  base?: string;
}

/** Builds the bare page under `root` and returns its dist folder. */
export async function buildFluentHello(root: string, options: FluentHelloOptions): Promise<string> {
  mkdirSync(root, { recursive: true });
  writeFileSync(
    path.join(root, "index.html"),
    '<!doctype html><html lang="en"><head><meta charset="utf-8" /><title>Fluent hello</title></head><body><div id="root"></div><script type="module" src="/main.tsx"></script></body></html>',
  );
  writeFileSync(
    path.join(root, "main.tsx"),
    `import { Button, FluentProvider, ${options.theme} } from "@fluentui/react-components";
import { createRoot } from "react-dom/client";
createRoot(document.getElementById("root")!).render(
  <FluentProvider theme={${options.theme}}><Button appearance="primary">${options.label}</Button></FluentProvider>,
);
`,
  );
  const outDir = path.join(root, "dist");
  await build({
    root,
    ...(options.base ? { base: options.base } : {}),
    configFile: false,
    logLevel: "warn",
    plugins: [react()],
    build: { outDir, emptyOutDir: true, target: "es2022" },
  });
  return outDir;
}

/** Serves the files of `dir` under `base` ("/" or "/tab/") on 127.0.0.1, port 0. */
export function serveStatic(dir: string, base = "/"): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const rel = decodeURIComponent((req.url ?? "/").split("?")[0]!)
      .slice(base.length - 1)
      .replace(/^\//, "");
    const file = path.join(dir, rel === "" ? "index.html" : rel);
    if (!file.startsWith(dir)) {
      res.writeHead(403).end();
      return;
    }
    let body: Buffer;
    try {
      body = readFileSync(file);
    } catch (error) {
      res.writeHead(404).end(String(error));
      return;
    }
    const type = file.endsWith(".js") ? "text/javascript" : file.endsWith(".html") ? "text/html" : "text/css";
    res.writeHead(200, { "content-type": type }).end(body);
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      resolve({
        server,
        url: `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`,
      });
    }),
  );
}
