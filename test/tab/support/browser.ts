/**
 * Chromium (Debian's /usr/bin/chromium) driven by playwright-core, for the tab's end-to-end tests through
 * the Teams dev host: open the host with a user, theme and locale, reach the tab's frame, assert axe-core finds nothing serious,
 * and keep screenshots under test-artifacts/.
 */
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Browser, Frame, Page } from "playwright-core";
import type { Clock } from "../../../src/core/clock.ts";
import { seriousViolations } from "../../support/axe.ts";
import { pinnedContext } from "../../support/clock.ts";
import { repoRoot } from "../../support/database.ts";

export const artifactsDir = path.join(repoRoot, "test-artifacts", "tab");

export interface HostOptions {
  tab: "schedule" | "admin";
  user: string;
  theme?: "default" | "dark" | "contrast";
  locale?: string;
}

/** Opens the Teams dev host and returns the page and the tab's frame once the tab rendered. */
export async function openTab(
  browser: Browser,
  baseUrl: string,
  options: HostOptions,
  clock: Clock,
): Promise<{ page: Page; tab: Frame }> {
  const context = await pinnedContext(browser, clock, { viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  // The page's own context goes with it; when the browser closes first, the context is already gone.
  page.on("close", () => {
    if (!browser.isConnected()) return;
    context.close().catch((error: unknown) => {
      if (!/has been closed/.test(String(error))) throw error;
    });
  });
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  const q = new URLSearchParams({
    tab: options.tab,
    user: options.user,
    theme: options.theme ?? "default",
    locale: options.locale ?? "en-US",
  });
  await page.goto(`${baseUrl}/dev/teams?${q.toString()}`);
  const handle = await page.waitForSelector("#tab-frame[src]");
  const tab = await handle.contentFrame();
  if (!tab) throw new Error("The dev host has no tab frame");
  await tab.waitForSelector("nav[aria-label]", { timeout: 30_000 });
  if (errors.length > 0) throw new Error(`The page threw: ${errors.join("; ")}`);
  return { page, tab };
}

/** Switches the host theme the way Teams does (a themeChange event), through the host's own picker. */
export async function switchTheme(page: Page, theme: "default" | "dark" | "contrast"): Promise<void> {
  await page.selectOption("#host-theme", theme);
}

/**
 * Waits for running CSS transitions in every frame. Fluent fades button colours for 100 ms, so a picture
 * taken right after a live theme switch shows buttons half-way between the two themes (grey blocks).
 * A transition cancelled on the way counts as done.
 */
export async function transitionsSettled(page: Page): Promise<void> {
  for (const frame of page.frames()) {
    await frame.evaluate(() =>
      Promise.all(
        document
          .getAnimations()
          .filter((a) => a instanceof CSSTransition)
          .map((a) => a.finished.catch(() => a)),
      ),
    );
  }
}

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(artifactsDir, { recursive: true });
  await transitionsSettled(page);
  const file = path.join(artifactsDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  return file;
}

/**
 * What the tab shows now, photographed in the light and the dark theme (`<name>-light.png`,
 * `<name>-dark.png`), with axe clean in both; the tab is back in the light theme afterwards.
 */
export async function photograph(page: Page, tab: Frame, name: string): Promise<void> {
  await assertAxeClean(tab);
  await screenshot(page, `${name}-light`);
  await switchTheme(page, "dark");
  await tab.waitForSelector('[data-theme="dark"]');
  await assertAxeClean(tab);
  await screenshot(page, `${name}-dark`);
  await switchTheme(page, "default");
  await tab.waitForSelector('[data-theme="default"]');
}

/** Fails with the rule, the elements and their HTML when axe finds serious or critical violations. */
export async function assertAxeClean(tab: Frame): Promise<void> {
  const violations = await seriousViolations(tab);
  if (violations.length === 0) return;
  throw new Error(
    `axe-core found serious or critical violations:\n${violations
      .map(
        (v) =>
          `  ${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(" ")}: ${n.html}\n      ${n.failureSummary ?? ""}`).join("\n")}`,
      )
      .join("\n")}`,
  );
}
