/**
 * The Schedule tab's room picker, date picker and mailbox time zone, through the Teams dev host against the
 * real service and tenant emulator:
 * - a room picked from the tenant's places gets its own row in the grid, comes with the suggestion into
 *   the booking form, and the emulator shows the meeting in the room's calendar;
 * - the browser runs in Tokyo while the user's mailbox is in Stockholm: every time is Stockholm's;
 * - under pt-BR the date fields read dd/MM/yyyy with Portuguese month names, and a typed or picked date
 *   drives the search;
 * - a scheduler books into a colleague's calendar ("Book for"): refused by name for a colleague without a
 *   sync seat, and in the colleague's calendar, as organizer, for one with a seat;
 * - axe on each view with the listbox or calendar open, and screenshots light, dark and pt-BR.
 */
import assert from "node:assert/strict";
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, test } from "vitest";
import { createApiClient } from "../../src/api-client/api.ts";
import { DEMO, DEMO_WEEK } from "../../src/emulator/seed.ts";
import { launchChromium } from "../support/chromium.ts";
import { demoWeekDay, pinnedContext } from "../support/clock.ts";
import { assertAxeClean, photograph, screenshot, switchTheme } from "./support/browser.ts";
import { calendarView } from "./support/emulator-graph.ts";
import { connectThroughAdminTab, openInHost, pickPerson, until } from "./support/host.ts";
import { startTabStack, type TabStack } from "./support/tab-stack.ts";

const contoso = DEMO.contoso;
const DAY = 86_400_000;

/** The calendar date (YYYY-MM-DD) of an instant in a zone. */
function isoDateIn(epochMs: number, timeZone: string): string {
  return new Intl.DateTimeFormat("sv-SE", { timeZone }).format(epochMs);
}

function addDays(isoDate: string, days: number): string {
  return new Date(Date.parse(`${isoDate}T12:00:00Z`) + days * DAY).toISOString().slice(0, 10);
}

const ptBR = (isoDate: string) => {
  const [y, m, d] = isoDate.split("-");
  return `${d}/${m}/${y}`;
};

describe("Schedule tab: rooms, dates in the user's locale, times in the mailbox's zone", () => {
  let stack: TabStack;
  let browser: Browser;
  let tokyo: BrowserContext;
  beforeAll(async () => {
    stack = await startTabStack();
    browser = await launchChromium();
    // The browser's clock runs in Tokyo; the people below have their mailboxes elsewhere.
    tokyo = await pinnedContext(browser, stack.clock, {
      viewport: { width: 1400, height: 1000 },
      timezoneId: "Asia/Tokyo",
    });
    await connectThroughAdminTab(tokyo, stack.url);
  });
  /** The Schedule tab as Ana (mailbox in São Paulo) under pt-BR, ready. */
  const openAsAnaInPortuguese = async () => {
    const opened = await openInHost(tokyo, stack.url, {
      tab: "schedule",
      user: contoso.users.ana.upn,
      locale: "pt-BR",
    });
    await opened.tab.getByRole("heading", { name: "Encontrar um horário" }).waitFor();
    await opened.tab.getByText(/^Horários em Sao Paulo \(GMT-3\)$/).waitFor({ timeout: 30_000 });
    return opened;
  };
  afterAll(async () => {
    await tokyo?.close();
    await browser?.close();
    await stack?.stop();
  });

  test("a room picked from places is in the grid, the booking and the room's calendar; times are Stockholm's", async () => {
    const erik = contoso.users.erik;
    const aurora = contoso.rooms.aurora;
    const { page, tab } = await openInHost(tokyo, stack.url, { tab: "schedule", user: erik.upn });
    await tab.getByRole("heading", { name: "Find a time" }).waitFor();
    // The zone comes from Erik's Outlook mailbox, not from the browser.
    await tab.getByText(/^Times in Stockholm \(GMT\+[12]\)$/).waitFor({ timeout: 30_000 });
    await pickPerson(tab, "Required attendees", "clai", "Claire Dubois");

    // The room picker lists rooms seating everyone (Erik, Claire) with their seats and building.
    const fits = tab.getByRole("checkbox", { name: "Rooms for 2 or more" });
    assert.equal(await fits.isChecked(), true);
    const room = tab.getByRole("combobox", { name: "Room" });
    await room.focus();
    await room.press("ArrowDown");
    await until(
      async () =>
        (await tab.getByRole("option", { name: /Seats:/ }).count()) === Object.keys(contoso.rooms).length,
      "every room of the tenant seats two people",
    );
    await room.press("Escape");
    await room.pressSequentially("aur", { delay: 30 });
    const option = tab.getByRole("option", { name: /Aurora \(Stockholm\)/ });
    await option.waitFor();
    assert.match(await option.innerText(), /Seats: 8/);
    await until(
      async () => (await tab.getByRole("option", { name: /Hudson/ }).count()) === 0,
      "the list follows the text",
    );
    await assertAxeClean(tab);
    await screenshot(page, "schedule-room-picker-light");
    await switchTheme(page, "dark");
    await tab.waitForSelector('[data-theme="dark"]');
    await room.focus();
    await option.waitFor();
    await screenshot(page, "schedule-room-picker-dark");
    await assertAxeClean(tab);
    await room.press("ArrowDown");
    await room.press("Enter");
    assert.equal(await room.inputValue(), "Aurora (Stockholm)");
    await switchTheme(page, "default");
    await tab.waitForSelector('[data-theme="default"]');

    await tab.getByRole("button", { name: "Find times" }).click();
    await tab.getByRole("heading", { name: "Suggested times" }).waitFor({ timeout: 60_000 });
    const grid = tab.getByRole("table").first();
    for (const row of ["You", "Claire Dubois", "Aurora (Stockholm)"]) {
      await grid.getByRole("rowheader", { name: row }).waitFor();
    }
    await grid.getByText(/Availability in Europe\/Stockholm/).waitFor();

    // Times are Stockholm's, not the browser's Tokyo.
    const first = tab.locator("[data-suggestion]").first();
    const start = Number(await first.getAttribute("data-suggestion"));
    const at = (timeZone: string) =>
      new Intl.DateTimeFormat("en-US", { hour: "numeric", minute: "2-digit", timeZone }).format(start);
    assert.notEqual(at("Europe/Stockholm"), at("Asia/Tokyo"));
    const book = first.getByRole("button", { name: /^Book / });
    assert.equal(await book.innerText(), `Book ${at("Europe/Stockholm")}`);
    await first.getByText("Room: Aurora (Stockholm)").waitFor();
    // (Whatever the demo calendar says of that time: free, or working elsewhere, which does not block.)
    assert.ok(
      (await grid.locator(`td[aria-label^="You, ${at("Europe/Stockholm")}: "]`).count()) === 1,
      "the grid has the suggested slot at Stockholm's time",
    );
    await assertAxeClean(tab);
    await screenshot(page, "schedule-rooms-grid-light");

    // The suggestion's room comes into the booking form.
    await book.click();
    const form = tab.getByRole("region", { name: "Book the meeting" });
    await form.waitFor();
    assert.equal(await form.getByRole("combobox", { name: "Room" }).inputValue(), "Aurora (Stockholm)");
    await form.getByRole("textbox", { name: "Title" }).fill("Room check-in");
    await assertAxeClean(tab);
    await screenshot(page, "schedule-rooms-booking-light");
    await form.getByRole("button", { name: "Book", exact: true }).click();
    await tab.getByText("Meeting booked").waitFor({ timeout: 60_000 });
    // Ranges read "9:30 – 10:00 AM": the start's hour and minutes are Stockholm's.
    const clock = at("Europe/Stockholm").split(/\s/)[0]!;
    await tab.getByText(new RegExp(`Room check-in · .*\\b${clock}\\b`)).waitFor();

    // The emulator has the meeting in the room's calendar as well as in the people's, at that instant.
    for (const id of [aurora.id, erik.id, contoso.users.claire.id]) {
      const events = await calendarView(
        stack.emulator,
        contoso.id,
        id,
        start - 60_000,
        start + 4 * 3_600_000,
      );
      const booked = events.filter((e) => e.subject === "Room check-in");
      assert.equal(booked.length, 1, `${id} has the meeting once`);
      assert.equal(Date.parse(booked[0]!.start.dateTime.replace(/Z?$/, "Z")), start);
    }

    // My meetings lists it at Stockholm's time, with a date field for rescheduling.
    await tab.getByRole("tab", { name: "My meetings" }).click();
    const card = tab.locator("[data-booking]").filter({ hasText: "Room check-in" });
    await card.waitFor({ timeout: 30_000 });
    await card.getByText(new RegExp(`\\b${clock}\\b`)).waitFor();
    const newStart = card.getByRole("combobox", { name: "New start" });
    await newStart.waitFor();
    const stockholmDate = isoDateIn(start, "Europe/Stockholm");
    const [y, m, d] = stockholmDate.split("-").map(Number) as [number, number, number];
    assert.equal(await newStart.inputValue(), `${m}/${d}/${y}`, "en-US writes M/d/yyyy");
    await photograph(page, tab, "meetings-rooms");

    // Settings says where the zone comes from.
    await tab.getByRole("tab", { name: "Settings" }).click();
    await tab
      .getByText(/^Quorum shows times in your Outlook time zone: Stockholm \(GMT\+[12]\)\.$/)
      .waitFor({ timeout: 30_000 });
    await tab.getByText(/^Working hours: Mon–Fri, /).waitFor();
    await photograph(page, tab, "settings-zone");
    await page.close();
  });

  test("pt-BR: dates read dd/MM/yyyy with Portuguese months, and a typed or picked date drives the search", async () => {
    const { page, tab } = await openAsAnaInPortuguese();
    const from = tab.getByRole("combobox", { name: "De" });
    const to = tab.getByRole("combobox", { name: "Até" });
    await from.waitFor();
    // Today in Ana's mailbox zone (São Paulo), as Brazil writes it.
    const today = isoDateIn(stack.clock.now(), "America/Sao_Paulo");
    assert.equal(await from.inputValue(), ptBR(today));
    assert.equal(await to.inputValue(), ptBR(addDays(today, 4)));

    await pickPerson(tab, "Participantes obrigatórios", "Erik", "Erik Lindqvist");

    // Type a date the Brazilian way; leaving the field takes it (the end follows when it was earlier).
    // Thursday of the next demo week: after Erik's out-of-office days, a working day for Ana and Erik.
    const day = demoWeekDay(stack.clock.now(), DEMO_WEEK.erikOutOfOffice.lastDay + 1);
    await from.fill(ptBR(day));
    await from.press("Tab");
    await until(async () => (await from.inputValue()) === ptBR(day), "the typed date is taken");
    assert.equal(await to.inputValue(), ptBR(day));

    // Pick the end from the calendar with the keyboard: it opens with ArrowDown on the selected day.
    await to.focus();
    await to.press("ArrowDown");
    const calendar = tab.getByRole("dialog", { name: "Calendário" });
    await calendar.waitFor();
    const monthName = new Intl.DateTimeFormat("pt-BR", { month: "long", timeZone: "UTC" }).format(
      Date.parse(`${day}T12:00:00Z`),
    );
    await calendar
      .getByText(new RegExp(`^${monthName} \\d{4}$`))
      .first()
      .waitFor();
    const headers = await calendar.locator("th").allTextContents();
    assert.deepEqual(headers.slice(0, 7), ["D", "S", "T", "Q", "Q", "S", "S"], "Sunday first, in Portuguese");
    await calendar.getByRole("button", { name: "Ir para hoje" }).waitFor();
    await photograph(page, tab, "schedule-datepicker-pt-BR");
    if (!(await calendar.isVisible())) {
      await to.focus();
      await to.press("ArrowDown");
      await calendar.waitFor();
    }
    await tab.locator(":focus").press("ArrowRight");
    await tab.locator(":focus").press("Enter");
    await calendar.waitFor({ state: "hidden" });
    const next = addDays(day, 1);
    assert.equal(await to.inputValue(), ptBR(next));

    // A date that does not exist is refused with an example of the expected form.
    await from.fill("31/02/2027");
    await from.press("Tab");
    await tab.getByText(`Digite uma data como 21/11/2026.`).waitFor();
    assert.equal(await from.inputValue(), ptBR(day), "the field keeps the last good date");

    await tab.getByRole("button", { name: "Encontrar horários" }).click();
    await tab.getByRole("heading", { name: "Horários sugeridos" }).waitFor({ timeout: 60_000 });
    // The grid covers exactly the two days chosen, in São Paulo.
    const dayLabel = (iso: string) =>
      new Intl.DateTimeFormat("pt-BR", {
        weekday: "short",
        day: "numeric",
        month: "short",
        timeZone: "America/Sao_Paulo",
      }).format(Date.parse(`${iso}T15:00:00Z`));
    const dayButtons = tab.getByRole("toolbar", { name: "Disponibilidade" }).getByRole("button");
    assert.deepEqual(await dayButtons.allTextContents(), [dayLabel(day), dayLabel(next)]);
    await screenshot(page, "schedule-pt-BR-results-light");
    await page.close();
  });

  test("pt-BR: on Erik's out-of-office days the suggestions keep their heading and say, in Portuguese, that he is away", async () => {
    const { erik } = contoso.users;
    const { page, tab } = await openAsAnaInPortuguese();
    await pickPerson(tab, "Participantes obrigatórios", "Erik", erik.displayName);
    const away = DEMO_WEEK.erikOutOfOffice;
    const from = tab.getByRole("combobox", { name: "De" });
    const to = tab.getByRole("combobox", { name: "Até" });
    await from.fill(ptBR(demoWeekDay(stack.clock.now(), away.firstDay)));
    await from.press("Tab");
    await to.fill(ptBR(demoWeekDay(stack.clock.now(), away.lastDay)));
    await to.press("Tab");
    await tab.getByRole("button", { name: "Encontrar horários" }).click();
    // The empty state is the same heading as a list of results, and names the real cause in Portuguese.
    const heading = tab.getByRole("heading", { name: "Horários sugeridos" });
    await heading.waitFor({ timeout: 60_000 });
    const region = tab.getByRole("region", { name: "Horários sugeridos" });
    await region
      .getByText(`${erik.displayName} está ausente durante todo o período.`, { exact: false })
      .waitFor();
    const text = (await region.textContent()) ?? "";
    assert.doesNotMatch(
      text,
      /working hours|horário de trabalho/,
      "out of office is the cause, not the hours",
    );
    await photograph(page, tab, "schedule-pt-BR-out-of-office");
    await page.close();
  });

  test("a scheduler books into a colleague's calendar; a colleague without a sync seat is named", async () => {
    const { james, lucas, claire, ana } = contoso.users;
    const adminApi = createApiClient({
      baseUrl: stack.baseUrl,
      getToken: () => stack.tokenFor(contoso.admin.upn),
    });
    const idOf = async (upn: string) => {
      const { members } = await adminApi.members.list({ q: upn });
      const member = members.find((m) => m.upn.toLowerCase() === upn.toLowerCase());
      assert.ok(member, `${upn} was imported`);
      return member.userId;
    };

    // Without the scheduler role there is no "Book for".
    const before = await openInHost(tokyo, stack.url, { tab: "schedule", user: james.upn });
    await before.tab.getByRole("heading", { name: "Find a time" }).waitFor();
    await before.tab.getByRole("combobox", { name: "Required attendees" }).waitFor();
    assert.equal(await before.tab.getByRole("combobox", { name: "Book for" }).count(), 0);
    await before.page.close();

    await adminApi.members.setRoles(await idOf(james.upn), ["member", "scheduler"]);
    const pools = await adminApi.seats.overview();
    const sync = pools.pools.find((p) => p.kind === "sync");
    await adminApi.seats.setPool("sync", (sync?.used ?? 0) + 2);
    await adminApi.seats.assign(await idOf(lucas.upn), "sync");

    const { page, tab } = await openInHost(tokyo, stack.url, { tab: "schedule", user: james.upn });
    const bookFor = tab.getByRole("combobox", { name: "Book for" });
    await bookFor.waitFor({ timeout: 30_000 });
    assert.equal(await bookFor.getAttribute("placeholder"), "Myself");

    // Claire holds no sync seat: the booking is refused and the message names her, not James.
    await pickPerson(tab, "Book for", "clai", "Claire Dubois");
    await pickPerson(tab, "Required attendees", "ana", "Ana Souza");
    await tab.getByRole("button", { name: "Find times" }).click();
    await tab.getByRole("heading", { name: "Suggested times" }).waitFor({ timeout: 60_000 });
    const grid = tab.getByRole("table").first();
    await grid.getByRole("rowheader", { name: "Claire Dubois" }).waitFor();
    assert.equal(
      await grid.getByRole("rowheader", { name: "You" }).count(),
      0,
      "James's calendar is not read",
    );
    await tab
      .locator("[data-suggestion]")
      .first()
      .getByRole("button", { name: /^Book / })
      .click();
    let form = tab.getByRole("region", { name: "Book the meeting" });
    await form.getByRole("textbox", { name: "Title" }).fill("Intro call for Claire");
    await form.getByRole("button", { name: "Book", exact: true }).click();
    await form.getByText("Claire Dubois has no Quorum seat").waitFor({ timeout: 30_000 });
    await form.getByText(/Ask your admin to give Claire Dubois one\./).waitFor();
    await assertAxeClean(tab);
    await screenshot(page, "schedule-book-for-no-seat-light");
    await form.getByRole("button", { name: "Back" }).click();

    // Lucas holds one: the meeting goes into his calendar with him as organizer, and James is told Lucas
    // was not reached in Teams (he has not installed Quorum here).
    // "Book for" holds one person: picking Lucas replaces Claire.
    await pickPerson(tab, "Book for", "lucas", "Lucas Oliveira");
    await tab.locator(".fui-Tag", { hasText: "Claire Dubois" }).waitFor({ state: "detached" });
    await tab.getByRole("button", { name: "Find times" }).click();
    await grid.getByRole("rowheader", { name: "Lucas Oliveira" }).waitFor({ timeout: 60_000 });
    const first = tab.locator("[data-suggestion]").first();
    const start = Number(await first.getAttribute("data-suggestion"));
    await first.getByRole("button", { name: /^Book / }).click();
    form = tab.getByRole("region", { name: "Book the meeting" });
    await form.getByRole("textbox", { name: "Title" }).fill("Intro call for Lucas");
    await form.getByRole("button", { name: "Book", exact: true }).click();
    await tab.getByText("Meeting booked").waitFor({ timeout: 60_000 });
    await tab.getByText("Booked into Lucas Oliveira's calendar.").waitFor();
    await tab.getByText("An invitation was sent to 1 attendee.").waitFor();
    await tab.getByText(/^Lucas Oliveira was not told in Teams/).waitFor();
    await photograph(page, tab, "schedule-book-for-booked");

    const events = async (userId: string) =>
      (await calendarView(stack.emulator, contoso.id, userId, start - 60_000, start + 4 * 3_600_000)).filter(
        (e) => e.subject === "Intro call for Lucas",
      );
    const inLucas = await events(lucas.id);
    assert.equal(inLucas.length, 1, "the meeting is in Lucas's calendar once");
    assert.equal(inLucas[0]!.organizer?.emailAddress.address.toLowerCase(), lucas.upn.toLowerCase());
    assert.equal((await events(ana.id)).length, 1, "Ana is invited");
    assert.equal((await events(james.id)).length, 0, "James booked it but is not in it");
    assert.equal((await events(claire.id)).length, 0);
    await page.close();
  });
});
