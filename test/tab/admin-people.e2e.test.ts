/**
 * The Admin tab's people features through the Teams dev host against the real service, tenant emulator and
 * test database: the members table (search, seat switches, roles, filters, paging), a group rule picked in
 * the type-ahead and the plan it makes (preview, commit, undo), an invitation, and the CSV wizard in the
 * dark theme. Each view is checked with axe-core, reached with the keyboard and photographed light and dark.
 */
import assert from "node:assert/strict";
import type { Browser, Frame, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, test } from "vitest";
import { createApiClient, type QuorumApi } from "../../src/api-client/api.ts";
import { DEMO } from "../../src/emulator/seed.ts";
import { launchChromium } from "../support/chromium.ts";
import {
  assertAxeClean,
  openTab,
  photograph as photographBoth,
  screenshot,
  switchTheme,
} from "./support/browser.ts";
import { chooseOption, until } from "./support/host.ts";
import { startTabStack, type TabStack } from "./support/tab-stack.ts";

const { contoso } = DEMO;

/** WCAG contrast ratio of two `rgb(r, g, b)` colours. */
function contrast(a: string, b: string): number {
  const luminance = (c: string) => {
    const [r = 0, g = 0, bl = 0] = (c.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map((v) => {
      const s = Number(v) / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return ((hi ?? 0) + 0.05) / ((lo ?? 0) + 0.05);
}

describe("Admin tab: members, group rules, invitations", () => {
  let stack: TabStack;
  let browser: Browser;
  let page: Page;
  let tab: Frame;
  let api: QuorumApi;
  beforeAll(async () => {
    stack = await startTabStack();
    // Consent and the directory import are the Admin tab's own test; here they are set up through the API.
    await stack.consent(contoso.id);
    api = createApiClient({ baseUrl: stack.baseUrl, getToken: () => stack.tokenFor(contoso.admin.upn) });
    await api.seats.syncDirectory();
    await api.seats.setPool("sync", 10);
    browser = await launchChromium();
    ({ page, tab } = await openTab(
      browser,
      stack.url,
      { tab: "admin", user: contoso.admin.upn },
      stack.clock,
    ));
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  const section = async (name: string) => {
    await tab.getByRole("tab", { name }).click();
  };
  /** Presses Tab from `start` until `target` has the focus; fails if it takes more than `max` presses. */
  const reachByKeyboard = async (start: Locator, target: Locator, max = 40) => {
    await start.focus();
    for (let i = 0; i < max; i++) {
      if (await target.evaluate((el) => el === document.activeElement)) return i;
      await page.keyboard.press("Tab");
    }
    assert.fail(`${String(target)} was not reached with ${max} Tab presses`);
  };
  const pickOption = async (combobox: string, option: string | RegExp) => {
    await tab.getByRole("combobox", { name: combobox }).click();
    await tab.getByRole("option", { name: option }).click();
  };
  const photograph = (name: string) => photographBoth(page, tab, name);

  test("an admin finds a person, gives a sync seat, sees a full pool refused, and grants the scheduler role", async () => {
    await section("Users");
    const search = tab.getByRole("searchbox", { name: "Search users" });
    await tab.getByRole("table", { name: "Users" }).waitFor();
    const total = (await api.members.list({ limit: 1 })).total;
    assert.ok(total > 25, `the demo tenant has more people than a page (${total})`);
    await tab.getByText(`1–25 of ${total}`).waitFor();
    await tab.getByRole("button", { name: "Next" }).click();
    await tab
      .getByText(`26–${Math.min(50, total)} of ${total}`)
      .waitFor()
      .catch(async (error: unknown) => {
        await screenshot(page, "failed-members-page-2");
        throw error;
      });
    await tab.getByRole("button", { name: "Previous" }).click();
    await tab.getByText(`1–25 of ${total}`).waitFor();

    // Server-side search: typed into the box, answered by GET /api/admin/members?q=.
    await search.fill("sofia");
    await tab.getByText("1–1 of 1").waitFor();
    const row = tab.locator("tr", { has: tab.getByText("Sofia Berg") });
    const sync = tab.getByRole("switch", { name: "Sync seat for Sofia Berg" });
    const calling = tab.getByRole("switch", { name: "Calling seat for Sofia Berg" });
    const roles = tab.getByRole("button", { name: "Edit roles of Sofia Berg" });
    assert.equal(await sync.isChecked(), false);
    await reachByKeyboard(search, sync);
    await page.keyboard.press("Space");
    await until(
      async () => (await sync.isChecked()) && (await sync.isEnabled()),
      "the sync switch shows the seat",
    );
    const seats = await api.seats.overview();
    const sofia = (await api.members.list({ q: "sofia" })).members[0];
    assert.ok(sofia, "Sofia is a member");
    assert.ok(
      seats.seats.some((s) => s.userId === sofia.userId && s.kind === "sync"),
      "the service holds Sofia's sync seat",
    );

    // The calling pool has no licences: the service says so and the switch stays off.
    await calling.click();
    await tab.getByText("Something went wrong").waitFor();
    await until(() => calling.isEnabled(), "the calling switch is usable again");
    assert.equal(await calling.isChecked(), false);
    assert.equal((await api.members.list({ q: "sofia" })).members[0]?.seats.calling, null);

    await reachByKeyboard(search, roles);
    await page.keyboard.press("Enter");
    const scheduler = tab.getByRole("menuitemcheckbox", { name: "Scheduler" });
    await scheduler.waitFor();
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    await until(() => scheduler.evaluate((el) => el === document.activeElement), "Scheduler has the focus");
    await page.keyboard.press("Space");
    await until(
      async () => (await row.getByText("Scheduler", { exact: true }).count()) === 1,
      "the row shows the scheduler role",
    );
    await page.keyboard.press("Escape");
    const persisted = (await api.members.list({ q: "sofia" })).members[0];
    assert.deepEqual([...(persisted?.roles ?? [])].sort(), ["member", "scheduler"]);

    // Filters: schedulers only, then people holding a sync seat.
    await search.fill("");
    await pickOption("Role", "Schedulers");
    await tab.getByText("1–1 of 1").waitFor();
    await pickOption("Role", "All roles");
    await pickOption("Seat", "Sync seat");
    await tab.getByText("1–1 of 1").waitFor();
    assert.equal(await tab.getByRole("switch", { name: "Sync seat for Sofia Berg" }).isChecked(), true);
    await pickOption("Seat", "Any seat");
    await search.fill("sofia");
    await tab.getByText("1–1 of 1").waitFor();
    await photograph("admin-users");
  });

  test("an admin adds a group rule picked in the type-ahead and commits the plan it makes after a preview", async () => {
    await section("Group rules");
    await tab.getByText("No group rules yet.").waitFor();
    const group = tab.getByRole("combobox", { name: "Group" });
    await group.focus();
    await group.pressSequentially("sal", { delay: 30 });
    const sales = tab.getByRole("option", { name: /^Sales/ });
    await sales.waitFor();
    assert.match((await sales.textContent()) ?? "", /\d+ members?/);
    assert.equal(await tab.getByRole("option").count(), 1, "only groups matching what is typed are offered");
    await group.press("Enter");
    assert.equal(await group.inputValue(), "Sales");
    const add = tab.getByRole("button", { name: "Add rule" });
    await reachByKeyboard(group, add);
    await page.keyboard.press("Enter");
    await tab.getByRole("cell", { name: "Sales", exact: true }).waitFor();
    const rules = (await api.rules.list()).rules;
    assert.deepEqual(
      rules.map((r) => [r.groupId, r.kind, r.priority]),
      [[contoso.groups.sales.id, "sync", 0]],
    );

    const preview = tab.getByRole("button", { name: "Preview seats from rules" });
    await reachByKeyboard(add, preview);
    await page.keyboard.press("Enter");
    const plan = tab.getByRole("region", { name: "Seats from the rules: review the plan" });
    await plan.waitFor({ timeout: 30_000 });
    const adds = plan.locator('tr[data-action="add"]');
    assert.ok((await adds.count()) > 0, "the plan gives Sales members sync seats");
    for (const reason of await plan.locator("tr[data-action] td:nth-child(5)").allTextContents()) {
      assert.ok(reason.trim().length > 3, `each row says why: "${reason}"`);
    }
    // Nothing changed before the commit.
    assert.equal((await api.seats.overview()).seats.filter((s) => s.source === "rule").length, 0);
    await photograph("admin-rules");

    await plan.getByRole("button", { name: "Commit plan" }).click();
    await plan.getByText("Plan committed.").waitFor({ timeout: 30_000 });
    const given = (await api.seats.overview()).seats.filter(
      (s) => s.kind === "sync" && s.source !== "manual",
    );
    assert.equal(given.length, await adds.count(), "every add row became a seat");
    await plan.getByRole("button", { name: "Undo" }).click();
    await plan.getByText("The seat changes from the rules were undone.").waitFor({ timeout: 30_000 });
    const left = (await api.seats.overview()).seats.filter((s) => s.kind === "sync");
    assert.equal(left.length, 1, "only the seat given by hand is left");
  });

  test("an admin invites a person with a role and seats", async () => {
    await section("Invitations");
    await tab.getByText("No invitations sent.").waitFor();
    const person = tab.getByRole("combobox", { name: "Person" });
    await person.focus();
    await person.pressSequentially("erik", { delay: 30 });
    await chooseOption(tab, person, "Erik Lindqvist");
    await person.press("Escape");
    await pickOption("Role", "Scheduler");
    const callingBox = tab.getByRole("checkbox", { name: "Calling" });
    await reachByKeyboard(person, callingBox);
    await page.keyboard.press("Space");
    assert.equal(await tab.getByRole("checkbox", { name: "Sync" }).isChecked(), true);
    const send = tab.getByRole("button", { name: "Send invitation" });
    await reachByKeyboard(callingBox, send);
    await page.keyboard.press("Enter");
    await tab.getByRole("cell", { name: "Erik Lindqvist", exact: true }).waitFor({ timeout: 30_000 });
    const [invitation] = (await api.invitations.list()).invitations;
    assert.equal(invitation?.displayName, "Erik Lindqvist");
    assert.equal(invitation?.role, "scheduler");
    assert.deepEqual([...(invitation?.seatKinds ?? [])].sort(), ["calling", "sync"]);
    await photograph("admin-invitations");

    await tab.getByRole("button", { name: "Revoke the invitation of Erik Lindqvist" }).click();
    await tab.getByRole("cell", { name: "Revoked" }).waitFor();
    assert.equal((await api.invitations.list()).invitations[0]?.state, "revoked");
  });

  test("the CSV wizard's buttons are readable in the dark theme", async () => {
    await section("CSV import");
    const template = tab.getByRole("button", { name: "Download template" });
    await template.waitFor();
    await switchTheme(page, "dark");
    await tab.waitForSelector('[data-theme="dark"]');
    await assertAxeClean(tab);
    const [color, background] = await template.evaluate((el) => {
      const style = getComputedStyle(el);
      return [style.color, style.backgroundColor];
    });
    const ratio = contrast(color ?? "", background ?? "");
    assert.ok(
      ratio >= 4.5,
      `"Download template" reads ${color} on ${background} (contrast ${ratio.toFixed(2)})`,
    );
    await screenshot(page, "admin-import-dark");
    await switchTheme(page, "default");
    await tab.waitForSelector('[data-theme="default"]');
    await screenshot(page, "admin-import-light");
  });

  test("a directory Quorum may not read is shown with its cause; the connection test names the permission", async () => {
    // Graph refuses reading users, as after an admin removed the app's User.Read.All permission.
    const fault = await stack.emulatorRequest<{ id: string }>("POST", "/_emulator/faults", {
      tenantId: contoso.id,
      path: "/users",
      method: "GET",
      status: 403,
    });
    assert.equal(fault.status, 201, fault.text);
    try {
      await assert.rejects(api.seats.syncDirectory(), /Microsoft 365 denied Quorum access \(403 /);
      // The failure outlives the click: whoever opens Seat pools next reads it, with its cause.
      await page.close();
      ({ page, tab } = await openTab(
        browser,
        stack.url,
        { tab: "admin", user: contoso.admin.upn },
        stack.clock,
      ));
      await section("Seat pools");
      const warning = tab.getByText(/^The directory could not be read \(/);
      await warning.waitFor({ timeout: 30_000 });
      await tab
        .getByText(/\(403 Authorization_RequestDenied: Insufficient privileges to complete the operation\)\./)
        .waitFor();
      await assertAxeClean(tab);
      await photograph("admin-seats-directory-failed");
      // The admins were told, and the audit log says so in words.
      await section("Audit log");
      await tab
        .getByRole("cell", { name: "Admins notified · Directory could not be read" })
        .first()
        .waitFor();

      // The connection test says which permission is missing and where to add it.
      await section("Connection");
      await tab.getByRole("button", { name: "Test connection" }).click();
      await tab
        .getByText("Some permissions do not work. See what to change below.")
        .waitFor({ timeout: 30_000 });
      const users = tab.locator('[data-probe="read_users"]');
      assert.equal(await users.getAttribute("data-probe-status"), "missing");
      await users.getByText("Missing").waitFor();
      await users.getByText(/Add the User\.Read\.All \(application\) permission/).waitFor();
      assert.equal(await tab.locator('[data-probe="read_schedule"]').getAttribute("data-probe-status"), "ok");
      await assertAxeClean(tab);
      await photograph("admin-connection-test-failed");
    } finally {
      await stack.emulatorRequest("DELETE", `/_emulator/faults/${fault.body.id}`);
    }

    // With the permission back, the test passes and an import clears the warning.
    await tab.getByRole("button", { name: "Test connection" }).click();
    await tab.getByText("Every permission Quorum needs works.").waitFor({ timeout: 30_000 });
    await section("Seat pools");
    const warning = tab.getByText(/^The directory could not be read \(/);
    await warning.waitFor();
    await tab.getByRole("button", { name: "Import directory now" }).click();
    await tab.getByText(/Directory imported: \d+ people/).waitFor({ timeout: 60_000 });
    await warning.waitFor({ state: "detached" });
    const { directory } = await api.seats.summary();
    assert.equal(directory.lastError, null, "a good round clears it");
  });
});
