/**
 * What `npm start` and `npm test` need on a fresh machine: dependencies installed (npm ci), and for the
 * end-to-end tests Debian's Chromium (installed with apt-get when running as root, else a clear message).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

export const root = path.resolve(import.meta.dirname, "..");

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit", ...opts });
  if (r.status !== 0) {
    console.error(`${cmd} ${args.join(" ")} failed (exit ${r.status})`);
    process.exit(r.status ?? 1);
  }
}

/**
 * Whether node_modules holds exactly what package-lock.json asks for: every locked package at its version
 * (optional ones may be absent, as npm leaves out other platforms' binaries). Compared by content, not by
 * file times, so a fresh checkout or a second working tree of the same lock is not reinstalled.
 */
function installedMatchesLock(lock, marker) {
  if (!existsSync(marker)) return false;
  const want = JSON.parse(readFileSync(lock, "utf8")).packages ?? {};
  const have = JSON.parse(readFileSync(marker, "utf8")).packages ?? {};
  for (const [name, entry] of Object.entries(want)) {
    if (name === "" || entry.link) continue;
    const installed = have[name];
    if (!installed) {
      if (entry.optional) continue;
      return false;
    }
    if (installed.version !== entry.version) return false;
  }
  return true;
}

export function ensureDependencies() {
  const lock = path.join(root, "package-lock.json");
  const marker = path.join(root, "node_modules", ".package-lock.json");
  if (!installedMatchesLock(lock, marker)) {
    console.log("Installing dependencies (npm ci)...");
    run("npm", ["ci", "--no-audit", "--no-fund"]);
  }
}

export function ensureChromium() {
  if (existsSync("/usr/bin/chromium")) return true;
  if (process.getuid?.() === 0 && existsSync("/usr/bin/apt-get")) {
    console.log("Installing Debian's chromium for the end-to-end tests (apt-get)...");
    run("apt-get", ["update", "-qq"]);
    run("apt-get", ["install", "-y", "-qq", "--no-install-recommends", "chromium"], {
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
    return existsSync("/usr/bin/chromium");
  }
  return false;
}

function newestMtime(p) {
  if (!existsSync(p)) return 0;
  const s = statSync(p);
  if (!s.isDirectory()) return s.mtimeMs;
  let max = s.mtimeMs;
  for (const e of readdirSync(p))
    if (e !== "node_modules" && e !== "dist") max = Math.max(max, newestMtime(path.join(p, e)));
  return max;
}

/** Builds the tab and add-in when their output is missing or older than their sources. */
export function ensureBuilt() {
  if (!existsSync(path.join(root, "tab", "vite.config.ts"))) return;
  const out = Math.min(
    newestMtime(path.join(root, "dist", "tab", "index.html")),
    existsSync(path.join(root, "addin", "vite.config.ts"))
      ? newestMtime(path.join(root, "dist", "addin"))
      : Number.POSITIVE_INFINITY,
  );
  const src = Math.max(
    ...["tab", "addin", "src/api-client", "src/api-contract", "src/ui-shared", "package-lock.json"].map((p) =>
      newestMtime(path.join(root, p)),
    ),
  );
  if (out === 0 || out < src) {
    console.log("Building the tab and the add-in (vite)...");
    run("npm", ["run", "build", "--silent"]);
  }
}
