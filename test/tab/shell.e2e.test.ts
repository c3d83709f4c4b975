/**
 * The tab through the Teams dev host in Chromium: it renders inside the host, follows Teams theme changes
 * live (dark, high contrast), speaks the Teams locale, is keyboard-operable and has no serious or
 * critical axe-core violations.
 */
import assert from "node:assert/strict";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, test } from "vitest";
import { launchChromium } from "../support/chromium.ts";
import { assertAxeClean, openTab, photograph, screenshot, switchTheme } from "./support/browser.ts";
import { startTabStack, type TabStack } from "./support/tab-stack.ts";

const ana = "ana.souza@contoso.com";

describe("Teams tab shell in the dev host", () => {
  let stack: TabStack;
  let browser: Browser;
  beforeAll(async () => {
    stack = await startTabStack();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  test("renders the Schedule tab with the Teams light theme and no serious axe violations", async () => {
    const { page, tab } = await openTab(browser, stack.url, { tab: "schedule", user: ana }, stack.clock);
    assert.equal(await tab.getAttribute("[data-theme]", "data-theme"), "default");
    await tab.getByRole("heading", { name: "Find a time" }).waitFor();
    // Nobody in Contoso has consented yet: the designed state tells the user whom to ask.
    await tab.getByText("Quorum is not connected to your organization yet").waitFor();
    await tab.getByText(/Ask your Microsoft 365 admin to grant admin consent/).waitFor();
    await assertAxeClean(tab);
    await photograph(page, tab, "schedule-consent-missing");
    await page.close();
  });

  test("switches to dark and high contrast live when Teams changes theme", async () => {
    const { page, tab } = await openTab(browser, stack.url, { tab: "schedule", user: ana }, stack.clock);
    const background = () =>
      tab.$eval("[data-theme]", (el) => getComputedStyle(el as HTMLElement).backgroundColor);
    const light = await background();
    await switchTheme(page, "dark");
    await tab.waitForSelector('[data-theme="dark"]');
    const dark = await background();
    assert.notEqual(dark, light);
    await assertAxeClean(tab);
    await screenshot(page, "schedule-form-dark");
    await switchTheme(page, "contrast");
    await tab.waitForSelector('[data-theme="contrast"]');
    assert.equal(await background(), "rgb(0, 0, 0)");
    await assertAxeClean(tab);
    await screenshot(page, "schedule-form-contrast");
    await page.close();
  });

  test("pt-BR shows Portuguese labels", async () => {
    const { page, tab } = await openTab(
      browser,
      stack.url,
      { tab: "schedule", user: ana, locale: "pt-BR" },
      stack.clock,
    );
    await tab.getByRole("heading", { name: "Encontrar um horário" }).waitFor();
    for (const name of ["Agendar", "Minhas reuniões", "Configurações"]) {
      assert.equal(await tab.getByRole("tab", { name }).count(), 1, name);
    }
    assert.equal(await tab.evaluate(() => document.documentElement.lang), "pt-BR");
    await screenshot(page, "schedule-form-pt-BR");
    await page.close();
  });

  test("the sections are reachable with the keyboard alone", async () => {
    const { page, tab } = await openTab(browser, stack.url, { tab: "schedule", user: ana }, stack.clock);
    await tab.getByRole("tab", { name: "Schedule" }).focus();
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("Enter");
    await tab.getByRole("heading", { name: "My meetings" }).waitFor();
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("Enter");
    await tab.getByRole("heading", { name: "Settings" }).waitFor();
    await page.close();
  });
});
