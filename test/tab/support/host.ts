/**
 * Steps the tab's end-to-end tests share: opening the tab in the Teams dev host for a user, picking a
 * person in the people picker by keyboard, and connecting the organization through the Admin tab.
 */
import type { BrowserContext, Frame, Locator, Page } from "playwright-core";
import { DEMO } from "../../../src/emulator/seed.ts";

/** Opens the dev host with the given query (tab, user, locale, …) and returns the tab's frame. */
export async function openInHost(
  context: BrowserContext,
  url: string,
  query: Record<string, string>,
): Promise<{ page: Page; tab: Frame }> {
  const page = await context.newPage();
  await page.goto(`${url}/dev/teams?${new URLSearchParams(query).toString()}`);
  const tab = await (await page.waitForSelector("#tab-frame[src]")).contentFrame();
  if (!tab) throw new Error("no tab frame");
  return { page, tab };
}

/**
 * Chooses the option naming `name` in the open list of a combobox with the keyboard: the arrow keys move
 * to it (a picker makes its best match active as results come in), Enter takes it.
 */
export async function chooseOption(tab: Frame, input: Locator, name: string): Promise<void> {
  await tab.getByRole("option", { name: new RegExp(name) }).waitFor();
  const activeText = async () => {
    const id = await input.getAttribute("aria-activedescendant");
    return id ? ((await tab.locator(`[id="${id}"]`).textContent()) ?? "") : "";
  };
  for (let moves = 0; !(await activeText()).includes(name); moves++) {
    if (moves > 20) throw new Error(`${name} never became the active option`);
    await input.press("ArrowDown");
  }
  await input.press("Enter");
}

/**
 * Types into a people picker and chooses `name` with the keyboard: the arrow keys move to its option (the
 * picker makes the best match active as results come in), Enter takes it.
 */
export async function pickPerson(
  tab: Frame,
  pickerLabel: string,
  query: string,
  name: string,
): Promise<void> {
  const input = tab.getByRole("combobox", { name: pickerLabel });
  await input.focus();
  await input.pressSequentially(query, { delay: 30 });
  await chooseOption(tab, input, name);
  // The chosen person appears as a tag in the picker.
  await tab.locator(".fui-Tag", { hasText: name }).waitFor();
  await input.press("Escape");
  await tab.locator(".fui-TagPickerList").waitFor({ state: "hidden" });
}

/** Contoso's admin grants consent on the Entra page and imports the directory, through the Admin tab. */
export async function connectThroughAdminTab(context: BrowserContext, url: string): Promise<void> {
  const { page, tab } = await openInHost(context, url, { tab: "admin", user: DEMO.contoso.admin.upn });
  const grant = tab.getByRole("button", { name: "Grant admin consent" });
  await grant.waitFor();
  const [popup] = await Promise.all([page.waitForEvent("popup"), grant.click()]);
  await popup.getByRole("button", { name: "Accept" }).click();
  await popup.getByText("Quorum is connected").first().waitFor();
  await popup.close();
  await tab.locator('[data-status="consented"]').waitFor({ timeout: 20_000 });
  await tab.getByRole("tab", { name: "Seat pools" }).click();
  await tab.getByRole("button", { name: "Import directory now" }).click();
  await tab.getByText(/Directory imported: \d+ people/).waitFor({ timeout: 60_000 });
  // The section says when the directory was last read (the test stack runs no scheduled rounds).
  await tab
    .getByText(/^Last imported \w{3}, \w{3} \d{1,2}, \d{1,2}:\d{2}\s[AP]M\.$/)
    .waitFor({ timeout: 30_000 });
  await page.close();
}

export { until } from "../../support/until.ts";
