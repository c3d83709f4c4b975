/**
 * The local chat with the bot (/dev/bot, linked from the start page) in headless Chromium, against the
 * service and the tenant emulator: a person picks a demo user, types commands, sees replies and cards,
 * and books a meeting with a click. Screenshots go to test-artifacts/bot/.
 */
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, test } from "vitest";
import type { DirectorySyncResponse } from "../../src/api-contract/seats.ts";
import { launchChromium } from "../support/chromium.ts";
import { demoWorkingDay, pinnedContext, pinnedNow } from "../support/clock.ts";
import { repoRoot } from "../support/database.ts";
import { type Stack, startStack } from "../support/stack.ts";
import { people } from "./harness.ts";

const artifacts = path.join(repoRoot, "test-artifacts", "bot");
const weekdays = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];

/** The name of a working day 2..6 days ahead of the run's pinned "now" on which the demo people are in. */
function workingDayName(): string {
  return weekdays[new Date(`${demoWorkingDay(pinnedNow(), 2)}T12:00:00Z`).getUTCDay()]!;
}

async function shot(page: Page, name: string) {
  await mkdir(artifacts, { recursive: true });
  await page.screenshot({ path: path.join(artifacts, `${name}.png`) });
}

describe("local bot chat in Chromium", () => {
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    stack = await startStack({ env: { DEV_HOSTS: "true" } });
    const consent = await stack.consent();
    assert.ok(consent.status < 400, consent.text);
    const sync = await stack.request<DirectorySyncResponse>("POST", "/api/admin/directory/sync", {
      token: await stack.tokenFor(stack.tenants[0]!.adminUpn),
    });
    assert.equal(sync.status, 200, sync.text);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  test("the start page links to the chat", async () => {
    const page = await (await pinnedContext(browser, stack.clock)).newPage();
    await page.goto(`${stack.baseUrl}/`);
    const link = page.getByRole("link", { name: /Quorum bot \(local chat\)/ });
    assert.equal(await link.getAttribute("href"), "/dev/bot");
    await page.close();
  });

  test("chat as Erik: help, then book a meeting with one click", async () => {
    const page = await (
      await pinnedContext(browser, stack.clock, { viewport: { width: 900, height: 900 } })
    ).newPage();
    await page.goto(`${stack.baseUrl}/dev/bot`);
    const user = page.getByRole("combobox", { name: "User" });
    await user.locator("option", { hasText: people.erik.displayName }).waitFor({ state: "attached" });
    await user.selectOption({ label: `${people.erik.displayName} (${people.erik.upn})` });

    const message = page.getByRole("textbox", { name: "Message" });
    await message.fill("help");
    await message.press("Enter");
    await page.getByText("Quorum can help you with").waitFor();

    const subject = `Chat demo ${Date.now()}`;
    await message.fill(`book 30 min with sofia ${workingDayName()} about ${subject}`);
    await page.getByRole("button", { name: "Send" }).click();
    await page.getByText("Suggested times with Sofia Berg").waitFor();
    await shot(page, "bot-chat-suggestions");
    await page.getByRole("button", { name: "Book" }).first().click();
    await page.getByText(`Booked: ${subject}`).waitFor();
    const join = page.getByRole("link", { name: "Join Teams meeting" });
    assert.match(
      (await join.getAttribute("href")) ?? "",
      /^https:\/\/teams\.microsoft\.com\/l\/meetup-join\//,
    );
    await shot(page, "bot-chat-booked");
    await page.close();
  });

  test("chat in Portuguese: a did-you-mean answer", async () => {
    const page = await (await pinnedContext(browser, stack.clock)).newPage();
    await page.goto(`${stack.baseUrl}/dev/bot`);
    const user = page.getByRole("combobox", { name: "User" });
    await user.locator("option", { hasText: people.ana.displayName }).waitFor({ state: "attached" });
    await user.selectOption({ label: `${people.ana.displayName} (${people.ana.upn})` });
    await page.getByRole("combobox", { name: "Language" }).selectOption("pt-BR");
    const message = page.getByRole("textbox", { name: "Message" });
    await message.fill("reunioens");
    await message.press("Enter");
    await page.getByText("Você quis dizer").waitFor();
    await shot(page, "bot-chat-pt");
    await page.close();
  });
});
