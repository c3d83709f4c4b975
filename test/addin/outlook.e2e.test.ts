/**
 * The Outlook add-in end to end: headless Debian Chromium opens the Outlook dev host of the real service
 * (emulator-backed, Contoso consented), whose task pane runs the built add-in on the Office shim.
 * Screenshots go to test-artifacts/addin/.
 */
import assert from "node:assert/strict";
import path from "node:path";
import type { Browser, Frame, Page } from "playwright-core";
import { afterAll, beforeAll, describe, test } from "vitest";
import { DEMO } from "../../src/emulator/seed.ts";
import { formatRange } from "../../src/ui-shared/format.ts";
import { seriousViolations } from "../support/axe.ts";
import { launchChromium } from "../support/chromium.ts";
import { demoWorkingDay, pinnedContext } from "../support/clock.ts";
import type { Stack } from "../support/stack.ts";
import { until } from "../support/until.ts";
import { artifacts, calendarView, startOutlookStack } from "./support/outlook-stack.ts";

const organizer = DEMO.contoso.users.erik;
const { ana, claire, james, sofia } = DEMO.contoso.users;

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  stack = await startOutlookStack();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/**
 * A working day at `hourUtc` at least `daysAhead` days after the stack's "now", on which the demo people
 * are in (no designed out-of-office day), so suggestions exist.
 */
function nextWeekday(daysAhead: number, hourUtc: number): Date {
  const day = demoWorkingDay(stack.clock.now(), daysAhead);
  return new Date(`${day}T${String(hourUtc).padStart(2, "0")}:00:00Z`);
}

/** Opens the Outlook dev host; the browser's clock runs in `timezoneId` (Erik's mailbox zone by default). */
async function openHost(
  params: Record<string, string>,
  timezoneId = "Europe/Stockholm",
): Promise<{ page: Page; pane: Frame }> {
  const context = await pinnedContext(browser, stack.clock, {
    viewport: { width: 1280, height: 900 },
    locale: "en-US",
    timezoneId,
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  const query = new URLSearchParams({ user: organizer.upn, ...params });
  await page.goto(`${stack.baseUrl}/dev/outlook?${query.toString()}`);
  const frameElement = await page.waitForSelector("#pane-frame");
  await page.waitForFunction(() => {
    const frame = document.getElementById("pane-frame") as HTMLIFrameElement | null;
    return (
      frame?.contentDocument?.querySelector("main") !== null &&
      frame?.contentDocument?.readyState === "complete"
    );
  });
  const pane = await frameElement.contentFrame();
  assert.ok(pane, "the task pane frame is loaded");
  assert.deepEqual(errors, []);
  return { page, pane };
}

/**
 * Puts the cursor in the HTML body's empty paragraph, between the greeting and the closing, presses
 * 'Propose times' and waits until the times are inserted.
 */
async function proposeTimesInHtmlBody(page: Page, pane: Frame) {
  await page.evaluate(() => {
    const body = document.getElementById("item-body-html")!;
    const range = document.createRange();
    range.setStart(body.querySelectorAll("p")[1]!, 0);
    range.collapse(true);
    body.focus();
    const selection = document.getSelection()!;
    selection.removeAllRanges();
    selection.addRange(range);
  });
  await pane.getByRole("button", { name: "Propose times" }).click();
  await pane.getByText(/Inserted \d proposed times into the e-mail/).waitFor({ timeout: 30_000 });
}

/** Waits for the pane's suggested times; the list, its first item and that item's slot. */
async function firstSuggestion(pane: Frame) {
  const list = pane.getByRole("list", { name: "Suggested times" });
  await list.waitFor({ timeout: 30_000 });
  const first = list.getByRole("listitem").first();
  const slot = {
    start: Number(await first.getAttribute("data-start")),
    end: Number(await first.getAttribute("data-end")),
  };
  return { list, first, slot };
}

async function snapshot(page: Page) {
  return page.evaluate(() => {
    const host = (
      window as unknown as { outlookDevHost: { snapshot(): { start: Date | null; end: Date | null } } }
    ).outlookDevHost;
    const s = host.snapshot();
    return { start: s.start?.getTime() ?? null, end: s.end?.getTime() ?? null };
  });
}

describe("appointment compose", () => {
  test("suggests times for three attendees; 'Use this time' sets the item's start and end", async () => {
    const start = nextWeekday(2, 9);
    const { page, pane } = await openHost({
      kind: "appointment-compose",
      required: [ana.upn, `${claire.displayName} <${claire.mail}>`, james.upn].join(","),
      start: start.toISOString(),
      end: new Date(start.getTime() + 45 * 60_000).toISOString(),
    });
    await pane
      .getByRole("region", { name: "Attendees" })
      .getByText("Ana Souza, Claire Dubois, James Carter")
      .waitFor();
    const { first, slot } = await firstSuggestion(pane);
    assert.equal(slot.end - slot.start, 45 * 60_000, "suggestions keep the meeting's duration");
    await pane.getByRole("table").first().waitFor();
    await page.screenshot({ path: path.join(artifacts, "appointment-compose.png") });
    assert.deepEqual(await seriousViolations(pane), []);

    await first.getByRole("button", { name: /Use this time/ }).click();
    await pane.getByText("The meeting time was updated.").waitFor();
    assert.deepEqual(await snapshot(page), slot);
    await page.screenshot({ path: path.join(artifacts, "appointment-compose-used.png") });
    await page.context().close();
  });

  test("with a room asked for, 'Use this time' also sets the location and invites the room", async () => {
    const start = nextWeekday(2, 9);
    const room = DEMO.contoso.rooms.aurora.mail;
    const { page, pane } = await openHost({
      kind: "appointment-compose",
      required: [ana.upn, sofia.upn].join(","),
      start: start.toISOString(),
      end: new Date(start.getTime() + 30 * 60_000).toISOString(),
    });
    await pane.getByRole("list", { name: "Suggested times" }).waitFor({ timeout: 30_000 });
    await pane.getByRole("textbox", { name: "Room" }).fill(room);
    await pane.getByRole("textbox", { name: "Room" }).press("Enter");
    const first = pane.getByRole("list", { name: "Suggested times" }).getByRole("listitem").first();
    await first.getByText(room).waitFor({ timeout: 30_000 });
    await first.getByRole("button", { name: /Use this time/ }).click();
    await pane.getByText("The meeting time was updated.").waitFor();
    assert.equal(await page.inputValue("#item-location"), room);
    assert.ok((await page.inputValue("#item-required")).includes(room), "the room is invited");
    await page.screenshot({ path: path.join(artifacts, "appointment-compose-room.png") });
    await page.context().close();
  });

  test("picks up an attendee added while the pane is open", async () => {
    const start = nextWeekday(2, 9);
    const { page, pane } = await openHost({
      kind: "appointment-compose",
      required: ana.upn,
      start: start.toISOString(),
      end: new Date(start.getTime() + 30 * 60_000).toISOString(),
    });
    await pane.getByRole("region", { name: "Attendees" }).getByText("Ana Souza", { exact: true }).waitFor();
    await page.fill("#item-required", `${ana.upn}; ${sofia.upn}`);
    await page.dispatchEvent("#item-required", "change");
    await pane.getByRole("region", { name: "Attendees" }).getByText("Ana Souza, Sofia Berg").waitFor();
    await pane.getByRole("list", { name: "Suggested times" }).waitFor({ timeout: 30_000 });
    await page.context().close();
  });

  test("a failing Office setAsync is shown to the user and leaves the item unchanged", async () => {
    const start = nextWeekday(2, 9);
    const { page, pane } = await openHost({
      kind: "appointment-compose",
      required: [ana.upn, james.upn].join(","),
      start: start.toISOString(),
      end: new Date(start.getTime() + 30 * 60_000).toISOString(),
    });
    const list = pane.getByRole("list", { name: "Suggested times" });
    await list.waitFor({ timeout: 30_000 });
    const before = await snapshot(page);
    await page.selectOption("#fail-next", "start.setAsync");
    await list
      .getByRole("button", { name: /Use this time/ })
      .first()
      .click();
    const alert = pane.getByRole("alert");
    await alert.waitFor();
    const text = (await alert.textContent()) ?? "";
    assert.match(text, /Outlook could not complete the action/);
    assert.match(text, /Setting the start time failed: An internal error has occurred/);
    assert.match(text, /Office error 5001/);
    assert.deepEqual(await snapshot(page), before);
    await page.screenshot({ path: path.join(artifacts, "office-failure.png") });
    await page.context().close();
  });
});

describe("time zone", () => {
  test("times follow the Outlook mailbox's zone (Stockholm), not this device's (Tokyo)", async () => {
    const start = nextWeekday(2, 9);
    const { page, pane } = await openHost(
      {
        kind: "appointment-compose",
        required: ana.upn,
        start: start.toISOString(),
        end: new Date(start.getTime() + 30 * 60_000).toISOString(),
      },
      "Asia/Tokyo",
    );
    const first = pane.getByRole("list", { name: "Suggested times" }).getByRole("listitem").first();
    await first.waitFor({ timeout: 30_000 });
    // Chromium's and Node's ICU may differ in the spaces they put around the dash and before "PM".
    const slotText = (at: number, end: number, timeZone: string) =>
      formatRange(at, end, "en-US", timeZone).replace(/\s+/g, " ");
    // The first suggestions may still be in the device's zone until the mailbox's zone has arrived.
    const reads = async () => {
      const at = Number(await first.getAttribute("data-start"));
      const end = Number(await first.getAttribute("data-end"));
      const shown = ((await first.locator(".fui-Text").first().textContent()) ?? "").replace(/\s+/g, " ");
      assert.notEqual(slotText(at, end, "Europe/Stockholm"), slotText(at, end, "Asia/Tokyo"));
      return { shown, stockholm: slotText(at, end, "Europe/Stockholm") };
    };
    await until(async () => {
      const { shown, stockholm } = await reads();
      return shown === stockholm;
    }, "the suggestion reads in Stockholm time").catch(async (error: unknown) => {
      const { shown, stockholm } = await reads();
      assert.equal(shown, stockholm, String(error));
    });
    // The availability strip's hours are Stockholm's working day too (08:00–18:00 there).
    await pane.getByRole("table").first().getByText("8 AM", { exact: true }).waitFor();
    await page.screenshot({ path: path.join(artifacts, "appointment-compose-tokyo-device.png") });
    await page.context().close();
  });
});

describe("message compose", () => {
  test("'Propose times' inserts 3–5 free times at the cursor of an HTML body", async () => {
    const { page, pane } = await openHost({
      kind: "message-compose",
      required: [ana.upn, `${claire.displayName} <${claire.mail}>`].join(","),
    });
    await proposeTimesInHtmlBody(page, pane);
    const body = await page.evaluate(() => document.getElementById("item-body-html")!.innerHTML);
    const items = await page.locator('#item-body-html ul[data-quorum="proposed-times"] li').allInnerTexts();
    assert.ok(items.length >= 3 && items.length <= 5, `${items.length} times`);
    assert.ok(body.indexOf("Hi all,") < body.indexOf("proposed-times"), "inserted after the greeting");
    assert.ok(body.indexOf("proposed-times") < body.indexOf("Thanks!"), "inserted before the closing");
    // Ana works in São Paulo and Claire in Paris: their times are given too.
    for (const item of items) assert.match(item, /\(Ana Souza\)/);
    await page.screenshot({ path: path.join(artifacts, "message-compose-html.png") });
    assert.deepEqual(await seriousViolations(pane), []);
    await page.context().close();
  });

  test("'Propose times' inserts a plain-text list into a text body", async () => {
    const { page, pane } = await openHost({ kind: "message-compose", body: "text", required: james.upn });
    await page.evaluate(() => {
      const text = document.getElementById("item-body-text") as HTMLTextAreaElement;
      const at = text.value.indexOf("\n\n") + 1;
      text.focus();
      text.setSelectionRange(at, at);
    });
    await pane.getByRole("button", { name: "Propose times" }).click();
    await pane.getByText(/Inserted \d proposed times into the e-mail/).waitFor({ timeout: 30_000 });
    const value = await page.inputValue("#item-body-text");
    const lines = value.split("\n").filter((l) => l.startsWith("- "));
    assert.ok(lines.length >= 3 && lines.length <= 5, value);
    assert.ok(value.startsWith("Hi all,\n\nWould one of these times work for you?"), value);
    assert.ok(value.trimEnd().endsWith("Thanks!"), value);
    assert.doesNotMatch(value, /<li>/);
    await page.screenshot({ path: path.join(artifacts, "message-compose-text.png") });
    await page.context().close();
  });

  test("'Propose times' to a recipient outside the organization proposes from the others' free time and says whose availability is unknown", async () => {
    const external = "lena.ortiz@fabrikam.example";
    const { page, pane } = await openHost({
      kind: "message-compose",
      required: [ana.upn, external].join(","),
    });
    await proposeTimesInHtmlBody(page, pane);
    const items = await page.locator('#item-body-html ul[data-quorum="proposed-times"] li').allInnerTexts();
    assert.ok(items.length >= 3 && items.length <= 5, `${items.length} times`);
    const note = await page.locator('#item-body-html [data-quorum="availability-note"]').innerText();
    assert.equal(
      note,
      `Times when the attendees at contoso.com are free; the availability of ${external} is not known.`,
    );
    // The pane names the recipient whose calendar Quorum cannot see.
    const unknown = pane.getByRole("list", { name: "Availability unknown" });
    await unknown.getByRole("listitem").filter({ hasText: external }).waitFor();
    assert.equal(await unknown.getByRole("listitem").count(), 1);
    await page.screenshot({ path: path.join(artifacts, "propose-external-light.png") });
    assert.deepEqual(await seriousViolations(pane), []);
    await page.context().close();
  });
});

describe("appointment read", () => {
  test("shows the organizer's and attendees' availability for the next days", async () => {
    const { page, pane } = await openHost({
      kind: "appointment-read",
      from: ana.upn,
      required: [organizer.upn, sofia.upn].join(","),
    });
    await pane.getByText("Meet with Ana Souza").waitFor();
    const days = pane.getByRole("region", { name: "Availability in the next days" });
    await days.getByRole("table").first().waitFor({ timeout: 30_000 });
    assert.equal(await days.getByRole("table").count(), 3);
    // Days on which nobody works (a weekend) are skipped: each strip shows someone within working hours.
    for (const table of await days.getByRole("table").all()) {
      assert.ok((await table.locator('td:not([data-state="5"]):not([data-state="9"])').count()) > 0);
    }
    const rows = await days.getByRole("table").first().getByRole("rowheader").allTextContents();
    assert.deepEqual([...rows].sort(), ["Ana Souza", "Sofia Berg", "You"]);
    await page.screenshot({ path: path.join(artifacts, "appointment-read.png") });
    await page.context().close();
  });
});

describe("pinned pane", () => {
  test("follows the selection to another item without reloading (ItemChanged)", async () => {
    const { page, pane } = await openHost({ kind: "appointment-compose", required: james.upn });
    await pane.getByRole("region", { name: "Attendees" }).waitFor();
    await pane.evaluate(() => {
      (window as unknown as { loadedOnce: boolean }).loadedOnce = true;
    });
    await page.selectOption("#item-kind", "message-compose");
    await pane.getByRole("button", { name: "Propose times" }).click();
    await pane.getByText(/Inserted \d proposed times into the e-mail/).waitFor({ timeout: 30_000 });
    assert.equal(await pane.evaluate(() => (window as unknown as { loadedOnce?: boolean }).loadedOnce), true);
    assert.equal(await page.locator('#item-body-html ul[data-quorum="proposed-times"]').count(), 1);
    await page.context().close();
  });
});

describe("Outlook's display language", () => {
  test("a Brazilian Portuguese Outlook gets the pane and the proposed times in Portuguese", async () => {
    const external = "lena.ortiz@fabrikam.example";
    const { page, pane } = await openHost({
      kind: "message-compose",
      body: "text",
      required: [james.upn, external].join(","),
      language: "pt-BR",
    });
    await pane.getByRole("button", { name: "Propor horários" }).click();
    await pane.getByText(/horários propostos inseridos no e-mail/).waitFor({ timeout: 30_000 });
    const value = await page.inputValue("#item-body-text");
    assert.match(value, /Algum destes horários funciona para você\?/);
    const lines = value.split("\n").filter((l) => l.startsWith("- "));
    assert.ok(lines.length >= 3, value);
    // Intl in pt-BR: abbreviated weekday and month in Portuguese, 24-hour times.
    for (const line of lines)
      assert.match(line, /^- (seg|ter|qua|qui|sex)\., \d+ de \w+\.?,? \d{2}:\d{2}/, line);
    // A recipient outside the organization is named as unknown, in Portuguese too.
    assert.match(
      value,
      /Horários em que os participantes de contoso\.com estão livres; a disponibilidade de lena\.ortiz@fabrikam\.example não é conhecida\./,
    );
    await pane
      .getByRole("list", { name: "Disponibilidade desconhecida" })
      .getByRole("listitem")
      .filter({ hasText: external })
      .waitFor();
    assert.equal(await pane.evaluate(() => document.documentElement.lang), "pt-BR");
    await page.screenshot({ path: path.join(artifacts, "message-compose-pt-BR.png") });
    await page.context().close();
  });
});

describe("message read", () => {
  test("'Book with Quorum' asks to confirm the time and subject: cancel books nothing, confirming twice books one event, and the booked time leaves the list", async () => {
    const subject = `Quarterly review ${Date.now()}`;
    const { page, pane } = await openHost({ kind: "message-read", from: ana.upn, subject });
    await pane.getByText("Meet with Ana Souza").waitFor();
    const { list, first, slot } = await firstSuggestion(pane);
    const bookedWithSubject = async (prefix: string) =>
      (
        await calendarView(
          stack,
          organizer.upn,
          new Date(slot.start - 3_600_000),
          new Date(slot.end + 3_600_000),
        )
      ).filter((e) => e.subject.startsWith(prefix));
    const button = first.getByRole("button", { name: /Book with Quorum/ });

    // One click opens the confirmation: the time, the item's subject to edit, Book and Cancel.
    await button.click();
    const dialog = pane.getByRole("alertdialog");
    await dialog.waitFor();
    const when = formatRange(slot.start, slot.end, "en-US", "Europe/Stockholm").replace(/\s+/g, " ");
    assert.ok(((await dialog.textContent()) ?? "").replace(/\s+/g, " ").includes(when), when);
    const subjectBox = dialog.getByRole("textbox", { name: "Subject" });
    assert.equal(await subjectBox.inputValue(), subject);
    await page.screenshot({ path: path.join(artifacts, "message-read-confirm.png") });
    assert.deepEqual(await seriousViolations(pane), []);
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "detached" });
    assert.deepEqual(await bookedWithSubject(subject), [], "cancel books nothing");

    // Clicking twice still asks once; confirming twice books once, with the edited subject.
    await button.dblclick();
    await dialog.waitFor();
    await subjectBox.fill(`${subject} with Ana`);
    await dialog.getByRole("button", { name: "Book", exact: true }).dblclick();
    await pane.getByText(/^Booked: /).waitFor({ timeout: 30_000 });
    await dialog.waitFor({ state: "detached" });
    // The suggestions are asked for again: the booked time is no longer offered.
    await until(
      async () => (await list.locator(`li[data-start="${slot.start}"]`).count()) === 0,
      "the booked time leaves the suggestions",
    );
    await list.getByRole("listitem").first().waitFor();
    await page.screenshot({ path: path.join(artifacts, "message-read-booked.png") });
    assert.deepEqual(await seriousViolations(pane), []);

    const booked = await bookedWithSubject(subject);
    assert.deepEqual(
      booked.map((e) => e.subject),
      [`${subject} with Ana`],
      "one event, with the confirmed subject",
    );
    const attendees = booked[0]!.attendees.map((a) => a.emailAddress.address.toLowerCase());
    assert.ok(attendees.includes(ana.mail), attendees.join(", "));
    await page.context().close();
  });
});
