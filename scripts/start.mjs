#!/usr/bin/env node
/**
 * `npm start`: installs dependencies if needed, builds the tab and add-in if stale, then runs the service
 * with the local Microsoft 365 tenant emulator and the embedded database, and prints one URL.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { ensureBuilt, ensureDependencies, root } from "./ensure.mjs";

ensureDependencies();
ensureBuilt();
const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "src", "main.ts")], {
  cwd: root,
  stdio: "inherit",
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
