/**
 * The Schedule tab through the Teams dev host against the real service and tenant emulator: a user picks
 * colleagues with the type-ahead, reads the availability grid and ranked suggestions, books one, sees the
 * Teams join link, and the emulator shows the event in every attendee's calendar. Also pt-BR with
 * 24-hour times, and axe on each step.
 */
import assert from "node:assert/strict";
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, test } from "vitest";
import { createApiClient } from "../../src/api-client/api.ts";
import { DEMO } from "../../src/emulator/seed.ts";
import { launchChromium } from "../support/chromium.ts";
import { pinnedContext } from "../support/clock.ts";
import { assertAxeClean, photograph, screenshot, switchTheme } from "./support/browser.ts";
import { calendarView } from "./support/emulator-graph.ts";
import { connectThroughAdminTab, openInHost, pickPerson } from "./support/host.ts";
import { startTabStack, type TabStack } from "./support/tab-stack.ts";

const contoso = DEMO.contoso;

describe("Schedule tab: find a time and book it", () => {
  let stack: TabStack;
  let browser: Browser;
  let context: BrowserContext;
  beforeAll(async () => {
    stack = await startTabStack();
    browser = await launchChromium();
    // Ana works in São Paulo: the tab shows times in the zone of the machine it runs on.
    context = await pinnedContext(browser, stack.clock, {
      viewport: { width: 1400, height: 1000 },
      timezoneId: "America/Sao_Paulo",
    });
    // The organization is connected by its admin and the directory imported, through the Admin tab.
    await connectThroughAdminTab(context, stack.url);
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await stack?.stop();
  });

  test("a user books a meeting from the suggestions and every attendee's calendar has it", async () => {
    const { page, tab } = await openInHost(context, stack.url, {
      tab: "schedule",
      user: contoso.users.ana.upn,
    });
    await tab.getByRole("heading", { name: "Find a time" }).waitFor();
    await pickPerson(tab, "Required attendees", "Erik", "Erik Lindqvist");
    await pickPerson(tab, "Required attendees", "clai", "Claire Dubois");
    await assertAxeClean(tab);
    await tab.getByRole("button", { name: "Find times" }).click();

    await tab.getByRole("heading", { name: "Suggested times" }).waitFor({ timeout: 60_000 });
    const grid = tab.getByRole("table").first();
    for (const row of ["You", "Erik Lindqvist", "Claire Dubois"]) {
      await grid.getByRole("rowheader", { name: row }).waitFor();
    }
    await tab.getByRole("list", { name: "Legend" }).waitFor();
    await photograph(page, tab, "schedule-suggestions");

    const first = tab.locator("[data-suggestion]").first();
    const start = Number(await first.getAttribute("data-suggestion"));
    await first.getByRole("button", { name: /^Book / }).click();
    await tab.getByRole("heading", { name: "Book the meeting" }).waitFor();
    assert.equal(await tab.getByRole("switch", { name: "Teams meeting" }).isChecked(), true);
    await tab.getByRole("textbox", { name: "Title" }).fill("Quarterly plan review");
    await photograph(page, tab, "schedule-booking-form");
    await tab.getByRole("button", { name: "Book", exact: true }).click();

    await tab.getByText("Meeting booked").waitFor({ timeout: 60_000 });
    const link = tab.getByRole("link", { name: /teams\.microsoft\.com/ });
    const joinUrl = await link.getAttribute("href");
    assert.match(joinUrl ?? "", /^https:\/\/teams\.microsoft\.com\/l\/meetup-join\//);
    await assertAxeClean(tab);
    await photograph(page, tab, "schedule-confirmation");

    for (const person of [contoso.users.ana, contoso.users.erik, contoso.users.claire]) {
      const events = await calendarView(
        stack.emulator,
        contoso.id,
        person.id,
        start - 60_000,
        start + 4 * 3_600_000,
      );
      const booked = events.filter((e) => e.subject === "Quarterly plan review");
      assert.equal(booked.length, 1, `${person.displayName} has the meeting once`);
      assert.equal(Date.parse(`${booked[0]!.start.dateTime.replace(/Z?$/, "Z")}`), start);
    }
    await page.close();
  });

  test("My meetings lists the booking, and cancelling it removes it from every calendar", async () => {
    const { page, tab } = await openInHost(context, stack.url, {
      tab: "schedule",
      user: contoso.users.ana.upn,
    });
    await tab.getByRole("tab", { name: "My meetings" }).click();
    const card = tab.locator("[data-booking]").filter({ hasText: "Quarterly plan review" });
    await card.waitFor({ timeout: 30_000 });
    await photograph(page, tab, "meetings");

    // Meanwhile the meeting changes elsewhere (here: Ana's note, through the API). The tab's copy is now
    // stale, so cancelling from it is refused until it is reloaded.
    const anaApi = createApiClient({
      baseUrl: stack.baseUrl,
      getToken: () => stack.tokenFor(contoso.users.ana.upn),
    });
    const id = await card.getAttribute("data-booking");
    const { bookings } = await anaApi.bookings.list(
      new Date(stack.clock.now()).toISOString(),
      new Date(stack.clock.now() + 90 * 86_400_000).toISOString(),
    );
    const shown = bookings.find((b) => b.id === id);
    assert.ok(shown, "the card is one of Ana's bookings");
    await stack.request("PATCH", `/api/bookings/${id}`, {
      token: await stack.tokenFor(contoso.users.ana.upn),
      headers: { "if-match": `"${shown.version}"` },
      body: { body: "Agenda: see the shared deck" },
    });
    const cancel = async () => {
      await card.getByRole("button", { name: "Cancel meeting" }).click();
      const dialog = tab.getByRole("dialog");
      await dialog.getByText("Attendees will get a cancellation").waitFor();
      await dialog.getByRole("button", { name: "Cancel meeting" }).click();
    };
    await cancel();
    await card.getByText("This was changed meanwhile").waitFor({ timeout: 30_000 });
    // The confirmation dialog hides the rest of the tab from assistive technology until it has closed.
    await tab.getByRole("dialog").waitFor({ state: "detached" });
    await assertAxeClean(tab);
    await screenshot(page, "meetings-changed-meanwhile-light");
    assert.equal(
      (
        await anaApi.bookings.list(
          new Date(stack.clock.now()).toISOString(),
          new Date(stack.clock.now() + 90 * 86_400_000).toISOString(),
        )
      ).bookings.find((b) => b.id === id)?.status,
      "confirmed",
      "nothing was cancelled from the stale copy",
    );
    await card.getByRole("button", { name: "Reload" }).click();
    await card.getByText("This was changed meanwhile").waitFor({ state: "detached", timeout: 30_000 });
    await cancel();
    await tab.getByText("Meeting cancelled.").waitFor({ timeout: 30_000 });
    await tab.getByText("You have no upcoming meetings booked with Quorum.").waitFor();
    const now = stack.clock.now();
    for (const person of [contoso.users.ana, contoso.users.erik, contoso.users.claire]) {
      const events = await calendarView(stack.emulator, contoso.id, person.id, now, now + 14 * 86_400_000);
      assert.equal(
        events.filter((e) => e.subject === "Quarterly plan review").length,
        0,
        `${person.displayName}'s calendar no longer has the meeting`,
      );
    }
    await page.close();
  });

  test("Settings: without a seat the user can request to join; the sync switch needs a seat", async () => {
    const { page, tab } = await openInHost(context, stack.url, {
      tab: "schedule",
      user: contoso.users.erik.upn,
    });
    await tab.getByRole("tab", { name: "Settings" }).click();
    await tab.getByText("You do not have a Quorum seat yet").waitFor({ timeout: 30_000 });
    assert.equal(await tab.getByRole("switch", { name: "Sync my calendar" }).isDisabled(), true);
    await tab.getByText("No colleague holds a calling seat yet.").waitFor();
    await assertAxeClean(tab);
    await screenshot(page, "settings-light");
    await tab.getByRole("button", { name: "Request to join" }).click();
    await tab.getByText("Your request was sent").waitFor({ timeout: 30_000 });
    await switchTheme(page, "dark");
    await tab.waitForSelector('[data-theme="dark"]');
    await screenshot(page, "settings-dark");
    await page.close();

    // Opened again, Settings remembers the request (with its date) instead of offering to ask twice.
    const reopened = await openInHost(context, stack.url, { tab: "schedule", user: contoso.users.erik.upn });
    await reopened.tab.getByRole("tab", { name: "Settings" }).click();
    await reopened.tab
      .getByText(
        /^You asked to join on \w{3}, \w{3} \d{1,2}\. An admin will answer; you will hear back in Teams\.$/,
      )
      .waitFor({ timeout: 30_000 });
    assert.equal(await reopened.tab.getByRole("button", { name: "Request to join" }).count(), 0);
    await reopened.page.close();

    // The admin sees the request in the Admin tab and approves it with a reason.
    const admin = await openInHost(context, stack.url, { tab: "admin", user: contoso.admin.upn });
    await admin.tab.getByRole("tab", { name: "Requests" }).click();
    const row = admin.tab.getByRole("row").filter({ hasText: "Erik Lindqvist" });
    await row.waitFor({ timeout: 30_000 });
    await assertAxeClean(admin.tab);
    await photograph(admin.page, admin.tab, "admin-requests");
    await row.getByRole("textbox").fill("Welcome aboard");
    await row.getByRole("button", { name: "Approve" }).click();
    // The sync pool has no licences yet: the request stays pending and the admin reads why.
    await admin.tab
      .getByText(/No licences are left/)
      .waitFor({ timeout: 30_000 })
      .catch(async (error: unknown) => {
        await screenshot(admin.page, "failed-approve");
        throw error;
      });
    await admin.tab.getByRole("tab", { name: "Seat pools" }).click();
    const syncPool = admin.tab.locator("form").nth(1);
    await syncPool.getByRole("spinbutton").fill("5");
    await syncPool.getByRole("button", { name: "Save" }).click();
    await admin.tab.getByText("0 of 5 used").waitFor();
    await admin.tab.getByRole("tab", { name: "Requests" }).click();
    const again = admin.tab.getByRole("row").filter({ hasText: "Erik Lindqvist" });
    await again.getByRole("textbox").fill("Welcome aboard");
    await again.getByRole("button", { name: "Approve" }).click();
    await admin.tab.getByText("No pending requests.").waitFor({ timeout: 30_000 });
    await admin.page.close();

    // Erik now holds a sync seat and may switch calendar sync.
    const erik = await openInHost(context, stack.url, { tab: "schedule", user: contoso.users.erik.upn });
    await erik.tab.getByRole("tab", { name: "Settings" }).click();
    await erik.tab.getByText("Calendar sync seat").waitFor({ timeout: 30_000 });
    const toggle = erik.tab.getByRole("switch", { name: "Sync my calendar" });
    assert.equal(await toggle.isDisabled(), false);
    const before = await toggle.isChecked();
    await toggle.click();
    await erik.tab.waitForFunction(
      (was) => (document.querySelector('[role="switch"]') as HTMLInputElement | null)?.checked === !was,
      before,
    );
    await erik.page.close();
  });

  test("Settings: an invited user accepts by keyboard and gets the seat and role", async () => {
    const { lucas } = contoso.users;
    const adminApi = createApiClient({
      baseUrl: stack.baseUrl,
      getToken: () => stack.tokenFor(contoso.admin.upn),
    });
    const lucasApi = createApiClient({ baseUrl: stack.baseUrl, getToken: () => stack.tokenFor(lucas.upn) });
    await adminApi.invitations.create({ userId: lucas.id, role: "scheduler", seatKinds: ["sync"] });

    const { page, tab } = await openInHost(context, stack.url, { tab: "schedule", user: lucas.upn });
    await tab.getByRole("tab", { name: "Settings" }).click();
    const card = tab.locator(".fui-Card").filter({ has: tab.getByRole("heading", { name: "Invitations" }) });
    await card.getByText("Megan Bowen invited you to Quorum.").waitFor({ timeout: 30_000 });
    await card.getByText("Role: Scheduler · Seats: Calendar sync seat").waitFor();
    // While the invitation waits, the seats card points to it rather than offering a join request.
    await tab.getByText("An admin has invited you: accept the invitation above to get your seats.").waitFor();
    assert.equal(await tab.getByRole("button", { name: "Request to join" }).count(), 0);
    await photograph(page, tab, "settings-invitation");

    const accept = card.getByRole("button", { name: "Accept" });
    await accept.focus();
    await page.keyboard.press("Enter");
    await card.getByRole("status").filter({ hasText: "Welcome to Quorum" }).waitFor({ timeout: 30_000 });
    await tab.getByText("Calendar sync seat").first().waitFor({ timeout: 30_000 });
    await tab.locator(".fui-Badge", { hasText: "Active" }).waitFor();
    assert.equal(await tab.getByRole("switch", { name: "Sync my calendar" }).isDisabled(), false);
    const me = await lucasApi.me();
    assert.equal(me.seats.sync?.state, "active");
    assert.ok(me.actor.roles.includes("scheduler"), `roles ${me.actor.roles}`);
    assert.deepEqual(
      (await lucasApi.invitations.mine()).invitations.map((i) => i.state),
      ["accepted"],
    );
    await page.close();
  });

  test("pt-BR shows Portuguese labels and 24-hour times", async () => {
    const { page, tab } = await openInHost(context, stack.url, {
      tab: "schedule",
      user: contoso.users.ana.upn,
      locale: "pt-BR",
    });
    await tab.getByRole("heading", { name: "Encontrar um horário" }).waitFor();
    await pickPerson(tab, "Participantes obrigatórios", "Erik", "Erik Lindqvist");
    await tab.getByRole("button", { name: "Encontrar horários" }).click();
    await tab.getByRole("heading", { name: "Horários sugeridos" }).waitFor({ timeout: 60_000 });
    const hours = await tab.getByRole("columnheader").allTextContents();
    assert.ok(hours.length > 3, "the grid has hour columns");
    for (const h of hours) assert.match(h, /^\d{1,2}:\d{2}$/, `24-hour time: "${h}"`);
    assert.ok(
      hours.some((h) => Number(h.split(":")[0]) >= 13),
      `an afternoon hour is shown as 13:00 or later: ${hours.join(" ")}`,
    );
    assert.equal(await tab.getByText(/\b(AM|PM)\b/).count(), 0);
    await screenshot(page, "schedule-suggestions-pt-BR");
    await page.close();
  });
});
