/**
 * Entry of the Outlook task pane. Office.js (or, in dev mode, the Outlook dev host's shim) is loaded by
 * the page before this module; the pane talks to Outlook only through `createOutlook(Office)` and to the
 * service only through the shared API client, loaded as its own chunk on first use.
 */
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { createOutlook, type OfficeGlobal } from "../office.ts";
import { App, loadSurface } from "./App.tsx";
import type { QuorumPort } from "./quorum.ts";

const container = document.getElementById("root");
if (!container) throw new Error("The task pane's page has no #root element");

const office = (globalThis as { Office?: OfficeGlobal }).Office;
if (!office) {
  container.textContent = "Office.js did not load. Open Quorum from Outlook.";
  throw new Error("Office.js did not load");
}
const outlook = createOutlook(office);
outlook.ready().then(
  () => {
    const kind = outlook.kind();
    // The App renders the surface when it arrives and shows a failure; this only starts the fetch early.
    if (kind)
      loadSurface(kind).catch((error: unknown) =>
        console.error("The task pane could not load its view", error),
      );
  },
  (error: unknown) => console.error("Office did not initialise", error),
);

let port: Promise<QuorumPort> | undefined;
const connect = () => {
  port ??= import("./quorum-http.ts").then((m) =>
    m.connectQuorum({ baseUrl: location.origin, getToken: () => outlook.accessToken() }),
  );
  return port;
};
const quorum: QuorumPort = {
  availability: (query, signal) => connect().then((q) => q.availability(query, signal)),
  book: (draft, key) => connect().then((q) => q.book(draft, key)),
  mailboxTimeZone: (signal) => connect().then((q) => q.mailboxTimeZone(signal)),
};

createRoot(container).render(
  <StrictMode>
    <App outlook={outlook} quorum={quorum} />
  </StrictMode>,
);
