import path from "node:path";
import { gzipSync } from "node:zlib";
import type { Browser, Frame, Page } from "playwright-core";
import { DEMO } from "../../src/emulator/seed.ts";
import { reportBench } from "../support/bench.ts";
import { launchChromium } from "../support/chromium.ts";
import { repoRoot } from "../support/database.ts";
import { buildFluentHello, serveStatic } from "../support/fluent-hello.ts";
import { startOutlookStack } from "./support/outlook-stack.ts";

const RUNS = 5;

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
const bare = await serveStatic(
  await buildFluentHello(path.join(repoRoot, ".data", "bench", "fluent-hello"), {
    theme: "webLightTheme",
    label: "Propose times",
  }),
);
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
