/**
 * Entry of the Teams tab. teams-js starts initializing alongside the first render, never before it.
 */
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App, preloadView } from "./App.tsx";
import { connectTeams } from "./teams.ts";

const container = document.getElementById("root");
if (!container) throw new Error("The tab's page has no #root element");
const view = new URLSearchParams(location.search).get("view") === "admin" ? "admin" : "schedule";
const root = createRoot(container);
const teams = connectTeams();
preloadView(view);
root.render(
  <StrictMode>
    <App teams={teams} view={view} />
  </StrictMode>,
);
