/**
 * The add-in's tests run against the built task pane (`dist/addin`), as the service serves it. This
 * builds it with Vite when it is missing or older than its sources, once per test process.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "../../support/database.ts";

export const addinDist = path.join(repoRoot, "dist", "addin");

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(full) : statSync(full).mtimeMs);
  }
  return latest;
}

let built = false;

export function ensureAddinBuilt(): void {
  if (built) return;
  const index = path.join(addinDist, "index.html");
  const sources = Math.max(
    newest(path.join(repoRoot, "addin", "src")),
    newest(path.join(repoRoot, "addin", "public")),
    statSync(path.join(repoRoot, "addin", "office.ts")).mtimeMs,
    statSync(path.join(repoRoot, "addin", "index.html")).mtimeMs,
    newest(path.join(repoRoot, "src", "api-client")),
    newest(path.join(repoRoot, "src", "api-contract")),
    newest(path.join(repoRoot, "src", "ui-shared")),
  );
  if (!existsSync(index) || statSync(index).mtimeMs < sources) {
    const result = spawnSync(
      process.execPath,
      [
        path.join(repoRoot, "node_modules", "vite", "bin", "vite.js"),
        "build",
        "--config",
        "addin/vite.config.ts",
        "--logLevel",
        "warn",
      ],
      { cwd: repoRoot, stdio: "inherit" },
    );
    if (result.status !== 0) throw new Error(`Building the add-in failed (exit ${result.status})`);
  }
  built = true;
}
