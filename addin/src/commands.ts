/**
 * The manifest's FunctionFile. Every Quorum ribbon button opens the task pane, so there are no UI-less
 * commands; the page only initialises Office so Outlook accepts it.
 */
import type { OfficeGlobal } from "../office.ts";

const office = (globalThis as { Office?: OfficeGlobal }).Office;
if (office) {
  office.onReady().catch((error: unknown) => {
    console.error("Office failed to initialise the Quorum commands page", error);
  });
}
