/**
 * The Admin tab through the Teams dev host against the real service and tenant emulator: an admin grants
 * consent in the (emulated) Entra consent page, imports the directory, sets a licence total, imports a
 * CSV with two bad lines, reads the reasons, commits and undoes.
 */
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import type { Browser, BrowserContext, Frame, Page } from "playwright-core";
import { afterAll, beforeAll, describe, test } from "vitest";
import { launchChromium } from "../support/chromium.ts";
import { pinnedContext } from "../support/clock.ts";
import { artifactsDir, assertAxeClean, photograph, screenshot, switchTheme } from "./support/browser.ts";
import { until } from "./support/host.ts";
import { startTabStack, type TabStack } from "./support/tab-stack.ts";

const csv = [
  "email,seat_kinds,phone_number,display_name",
  "ana.souza@contoso.com,sync,,Ana Souza",
  "erik.lindqvist@contoso.com,sync,,Erik Lindqvist",
  "claire.dubois@contoso.com,sync,,Claire Dubois",
  "not-an-email,sync,,Broken Line",
  "nobody.here@contoso.com,sync,,Unknown Person",
  "",
].join("\n");

describe("Admin tab: consent, CSV import, commit, undo", () => {
  let stack: TabStack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let tab: Frame;
  beforeAll(async () => {
    stack = await startTabStack();
    browser = await launchChromium();
    // No certificate exception: the emulated Entra's consent page reaches the browser through the
    // service's own origin, so a browser that trusts nothing extra opens it without a warning.
    context = await pinnedContext(browser, stack.clock, { viewport: { width: 1400, height: 900 } });
    page = await context.newPage();
    await page.goto(`${stack.url}/dev/teams?tab=admin&user=admin@contoso.com`);
    const frame = await (await page.waitForSelector("#tab-frame[src]")).contentFrame();
    if (!frame) throw new Error("no tab frame");
    tab = frame;
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await stack?.stop();
  });

  const section = async (name: string) => {
    await tab.getByRole("tab", { name }).click();
  };
  const pickOption = async (combobox: string, option: string) => {
    await tab.getByRole("combobox", { name: combobox }).click();
    await tab.getByRole("option", { name: option }).click();
  };

  test("an admin grants consent and the tab shows the organization connected", async () => {
    const grant = tab.getByRole("button", { name: "Grant admin consent" });
    await grant.waitFor();
    await photograph(page, tab, "admin-consent-pending");
    const [popup] = await Promise.all([page.waitForEvent("popup"), grant.click()]);
    await popup.waitForLoadState();
    assert.equal(
      new URL(popup.url()).origin,
      new URL(stack.url).origin,
      "Entra's page opens on the service's origin",
    );
    assert.match(new URL(popup.url()).pathname, /^\/_entra\/[^/]+\/v2\.0\/adminconsent$/);
    const megan = await popup.$eval(
      "select#admin",
      (select) =>
        [...(select as HTMLSelectElement).options].find((o) => o.text.includes("Megan Bowen"))?.value ?? "",
    );
    await popup.selectOption("select#admin", megan);
    await popup.getByRole("button", { name: "Accept" }).click();
    await popup.getByText("Quorum is connected").first().waitFor();
    await popup.close();
    await tab.locator('[data-status="consented"]').waitFor({ timeout: 20_000 });
    await tab.getByText("Granted by").waitFor();
    assert.equal(await tab.getByRole("button", { name: "Grant admin consent" }).count(), 0);
    await photograph(page, tab, "admin-consent-connected");
  });

  test("the directory is imported and the sync pool gets licences", async () => {
    await section("Seat pools");
    await tab.getByRole("button", { name: "Import directory now" }).click();
    await tab
      .getByText(/Directory imported: \d+ people/)
      .waitFor({ timeout: 60_000 })
      .catch(async (error: unknown) => {
        await screenshot(page, "failed-directory-import");
        throw error;
      });
    const syncPool = tab
      .locator("form")
      .filter({ has: tab.getByRole("spinbutton") })
      .nth(1);
    await syncPool.getByRole("spinbutton").fill("10");
    await syncPool.getByRole("button", { name: "Save" }).click();
    await tab.getByText("0 of 10 used").waitFor();
    await photograph(page, tab, "admin-seats");
  });

  test("a CSV with two bad lines is planned with a reason per line, committed and undone", async () => {
    const file = path.join(artifactsDir, "seats-two-bad-lines.csv");
    await writeFile(file, csv);
    await section("CSV import");
    const [chooser] = await Promise.all([
      page.waitForEvent("filechooser"),
      tab.getByRole("button", { name: "Choose CSV file" }).click(),
    ]);
    await chooser.setFiles(file);
    await tab.getByRole("heading", { name: "3. Review the plan" }).waitFor({ timeout: 30_000 });
    await screenshot(page, "admin-import-preview-light");

    const rows = tab.locator("tr[data-action]");
    assert.equal(await rows.count(), 5);
    const problems = tab.locator('tr[data-action="error"], tr[data-action="skip"]');
    assert.equal(await problems.count(), 2);
    const reasons = await problems.locator("td:nth-child(5)").allTextContents();
    for (const reason of reasons) assert.ok(reason.trim().length > 5, `a reason is given: "${reason}"`);
    const lines = await problems.locator("td:nth-child(1)").allTextContents();
    assert.deepEqual(lines.sort(), ["5", "6"]);

    await tab.getByRole("switch", { name: "Show only problems" }).check();
    assert.equal(await rows.count(), 2);
    // Sorted by line ascending at first; one click on the header reverses it.
    assert.deepEqual(await rows.locator("td:nth-child(1)").allTextContents(), ["5", "6"]);
    await tab.getByRole("columnheader", { name: "Line" }).click();
    assert.deepEqual(await rows.locator("td:nth-child(1)").allTextContents(), ["6", "5"]);
    await assertAxeClean(tab);
    await switchTheme(page, "dark");
    await tab.waitForSelector('[data-theme="dark"]');
    await screenshot(page, "admin-import-preview-dark");
    await switchTheme(page, "default");
    await tab.waitForSelector('[data-theme="default"]');

    // The plan has a line in error: the admin is asked to commit the rest without it, naming the line.
    await tab.getByRole("button", { name: "Commit plan" }).click();
    await tab.getByText("1 line has problems").waitFor();
    await tab
      .getByText("Commit 3 seat changes and skip the line with problems (line 5)?", { exact: false })
      .waitFor();
    await tab.getByRole("button", { name: "Commit 3, skip 1" }).scrollIntoViewIfNeeded();
    await photograph(page, tab, "admin-import-confirm-skip");
    await tab.getByRole("button", { name: "Commit 3, skip 1" }).click();
    await tab.getByText("Plan committed.").waitFor({ timeout: 30_000 });
    await section("Users");
    await pickOption("Seat", "Sync seat");
    await tab.getByText("1–3 of 3").waitFor();
    for (const name of ["Ana Souza", "Erik Lindqvist", "Claire Dubois"]) {
      assert.equal(await tab.getByRole("switch", { name: `Sync seat for ${name}` }).isChecked(), true);
    }
    await screenshot(page, "admin-users-light");

    await section("Seat pools");
    await tab.getByText("3 of 10 used").waitFor();

    await section("CSV import");
    await tab.getByRole("button", { name: "Undo" }).click();
    await tab.getByText("Import undone.").waitFor({ timeout: 30_000 });
    await photograph(page, tab, "admin-import-undone");
    await section("Seat pools");
    await tab.getByText("0 of 10 used").waitFor();
    await section("Users");
    await pickOption("Seat", "Sync seat");
    await tab.getByText("Nobody matches these filters.").waitFor();
    // A seat given by hand: the person found by the search, the switch turned on with the keyboard.
    await pickOption("Seat", "Any seat");
    await tab.getByRole("searchbox", { name: "Search users" }).fill("sofia");
    await tab.getByText("1–1 of 1").waitFor();
    const seat = tab.getByRole("switch", { name: "Sync seat for Sofia Berg" });
    await seat.focus();
    await seat.press("Space");
    await until(() => seat.isChecked(), "the sync seat switch turned on").catch(async (error: unknown) => {
      await screenshot(page, "failed-assign");
      throw error;
    });
    await assertAxeClean(tab);
    await section("Audit log");
    // People and actions in words, not ids and codes.
    await tab.getByRole("cell", { name: "Seat given · Sofia Berg" }).first().waitFor();
    await tab.getByRole("cell", { name: "Seat removed · Ana Souza" }).first().waitFor();
    await tab.getByRole("cell", { name: "Licence count changed · Sync" }).first().waitFor();
    const what = await tab.locator("tbody tr td:nth-child(3)").allTextContents();
    for (const text of what) {
      assert.doesNotMatch(text, /[0-9a-f]{8}-[0-9a-f]{4}-|^[a-z_]+\.[a-z_]+/, `readable: "${text}"`);
    }
    await photograph(page, tab, "admin-audit");
  });

  test("a CSV as Excel saves it in pt-BR and fr (`;`, byte order mark) is previewed; a UTF-16 file is refused with advice", async () => {
    const file = path.join(artifactsDir, "seats-semicolon.csv");
    await writeFile(
      file,
      [
        "\uFEFFemail;seat_kinds;phone_number;display_name",
        "ana.souza@contoso.com;sync;;Ana Souza",
        "claire.dubois@contoso.com;sync;;Claire Dubois",
        "chloe.eriksson@contoso.com;sync;;Chloé Eriksson",
        "pas-une-adresse;sync;;Ligne cassée",
        "",
      ].join("\r\n"),
    );
    await section("CSV import");
    const upload = async (path_: string) => {
      const [chooser] = await Promise.all([
        page.waitForEvent("filechooser"),
        tab.getByRole("button", { name: "Choose CSV file" }).click(),
      ]);
      await chooser.setFiles(path_);
    };
    await upload(file);
    await tab.getByRole("heading", { name: "3. Review the plan" }).waitFor({ timeout: 30_000 });
    const rows = tab.locator("tr[data-action]");
    await until(async () => (await rows.count()) >= 4, "the plan's rows");
    const cells = await rows.evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll("td")].slice(0, 2).map((td) => td.textContent ?? "")),
    );
    // Every line of the file is read with its columns; Sofia, who holds a seat the file leaves out, is
    // removed on a row without a line that names her.
    assert.deepEqual(cells.slice(0, 4), [
      ["2", "ana.souza@contoso.com"],
      ["3", "claire.dubois@contoso.com"],
      ["4", "chloe.eriksson@contoso.com"],
      ["5", "pas-une-adresse"],
    ]);
    assert.ok(
      cells.some(([line, who]) => line === "—" && /^Sofia Berg \(sofia\.berg@/.test(who ?? "")),
      JSON.stringify(cells),
    );
    assert.equal(await tab.locator('tr[data-action="error"]').count(), 1);
    await tab.getByRole("button", { name: "Commit plan" }).click();
    await tab.getByText("(line 5)", { exact: false }).waitFor();
    await tab.getByRole("button", { name: "Cancel" }).scrollIntoViewIfNeeded();
    await photograph(page, tab, "admin-csv-semicolon-preview");
    await tab.getByRole("button", { name: "Cancel" }).click();
    await tab.getByRole("button", { name: "Commit plan" }).waitFor();

    const utf16 = path.join(artifactsDir, "seats-utf16.csv");
    await writeFile(
      utf16,
      Buffer.concat([
        Buffer.from([0xff, 0xfe]),
        Buffer.from("email\tseat_kinds\r\nana.souza@contoso.com\tsync\r\n", "utf16le"),
      ]),
    );
    await upload(utf16);
    await tab.getByText("The file is saved as UTF-16", { exact: false }).waitFor({ timeout: 30_000 });
    await photograph(page, tab, "admin-csv-utf16-refused");
  });
});
