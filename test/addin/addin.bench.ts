/**
 * The Outlook task pane's first load against a bare Fluent UI page (FluentProvider + one Button, built
 * with the same Vite and React) measured in the same run, both in headless Chromium with a cold cache:
 * - first-load JS: gzip bytes of every script the page fetched until it was interactive;
 * - time to interactive: from the page's navigation start until its primary button is on screen
 *   (the add-in: "Propose times" of a message being composed, in the Outlook dev host's pane frame,
 *   which includes reading the item through the Office shim).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import path from "node:path";
import { gzipSync } from "node:zlib";
import react from "@vitejs/plugin-react";
import type { Browser, Frame, Page } from "playwright-core";
import { build } from "vite";
import { DEMO } from "../../src/emulator/seed.ts";
import { reportBench } from "../support/bench.ts";
import { repoRoot } from "../support/database.ts";
import { launchChromium, startOutlookStack } from "./support/outlook-stack.ts";

const RUNS = 5;

async function buildBareFluentPage(): Promise<string> {
  const root = path.join(repoRoot, ".data", "bench", "fluent-hello");
  mkdirSync(root, { recursive: true });
  writeFileSync(
    path.join(root, "index.html"),
    '<!doctype html><html lang="en"><head><meta charset="utf-8" /><title>Fluent hello</title></head><body><div id="root"></div><script type="module" src="/main.tsx"></script></body></html>',
  );
  writeFileSync(
    path.join(root, "main.tsx"),
    `import { Button, FluentProvider, webLightTheme } from "@fluentui/react-components";
import { createRoot } from "react-dom/client";
createRoot(document.getElementById("root")!).render(
  <FluentProvider theme={webLightTheme}><Button appearance="primary">Propose times</Button></FluentProvider>,
);
`,
  );
  const outDir = path.join(root, "dist");
  await build({
    root,
    configFile: false,
    logLevel: "warn",
    plugins: [react()],
    build: { outDir, emptyOutDir: true, target: "es2022" },
  });
  return outDir;
}

function serveStatic(dir: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const file = path.join(
      dir,
      req.url === "/" ? "index.html" : decodeURIComponent(req.url ?? "").split("?")[0]!,
    );
    if (!file.startsWith(dir)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = readFileSync(file);
      const type = file.endsWith(".js")
        ? "text/javascript"
        : file.endsWith(".html")
          ? "text/html"
          : "text/css";
      res.writeHead(200, { "content-type": type }).end(body);
    } catch {
      res.writeHead(404).end();
    }
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

interface Load {
  jsGzipBytes: number;
  interactiveMs: number;
}

/** Loads a page in a fresh context; `target` picks the frame and waits until its button is visible. */
async function measure(
  browser: Browser,
  url: string,
  target: (page: Page) => Promise<Frame>,
  buttonName: string,
): Promise<Load> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const scripts: Promise<number>[] = [];
  let done = false;
  page.on("response", (response) => {
    if (done || response.request().resourceType() !== "script") return;
    scripts.push(response.body().then((b) => gzipSync(b).length));
  });
  await page.goto(url);
  const frame = await target(page);
  // The predicate runs every animation frame and returns the frame's clock when the button first exists.
  const handle = await frame.waitForFunction(
    (name) => {
      const found = [...document.querySelectorAll("button")].some((b) => b.textContent?.trim() === name);
      return found ? performance.now() : false;
    },
    buttonName,
    { polling: "raf", timeout: 60_000 },
  );
  done = true;
  const interactiveMs = Number(await handle.jsonValue());
  const sizes = await Promise.all(scripts);
  await context.close();
  return { jsGzipBytes: sizes.reduce((a, b) => a + b, 0), interactiveMs };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

const stack = await startOutlookStack();
const browser = await launchChromium();
const bare = await serveStatic(await buildBareFluentPage());
try {
  const { erik, ana } = DEMO.contoso.users;
  const hostUrl = `${stack.baseUrl}/dev/outlook?kind=message-compose&user=${erik.upn}&required=${ana.upn}`;
  const paneFrame = async (page: Page) => {
    const element = await page.waitForSelector("#pane-frame[src]");
    const frame = await element.contentFrame();
    if (!frame) throw new Error("The task pane frame did not load");
    return frame;
  };
  const ours: Load[] = [];
  const baseline: Load[] = [];
  // Warm both servers once, then alternate so both see the same machine load.
  await measure(browser, hostUrl, paneFrame, "Propose times");
  await measure(browser, bare.url, async (page) => page.mainFrame(), "Propose times");
  for (let i = 0; i < RUNS; i++) {
    ours.push(await measure(browser, hostUrl, paneFrame, "Propose times"));
    baseline.push(await measure(browser, bare.url, async (page) => page.mainFrame(), "Propose times"));
  }
  reportBench({
    name: "addin first-load JS (gzip)",
    unit: "KB",
    ours: median(ours.map((l) => l.jsGzipBytes)) / 1024,
    baseline: median(baseline.map((l) => l.jsGzipBytes)) / 1024,
    baselineName: "bare Fluent page",
    higherIsBetter: false,
    notes: "task pane shell + message-compose chunk + the Office shim",
  });
  reportBench({
    name: "addin time to interactive",
    unit: "ms",
    ours: median(ours.map((l) => l.interactiveMs)),
    baseline: median(baseline.map((l) => l.interactiveMs)),
    baselineName: "bare Fluent page",
    higherIsBetter: false,
    notes: `median of ${RUNS} cold loads in headless Chromium; ours reads the item through the Office shim`,
  });
} finally {
  bare.server.close();
  await browser.close();
  await stack.stop();
}
