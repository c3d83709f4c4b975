import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { migrationsFolder } from "../../src/store/db.ts";

/** A hash of the migration files, so a prepared template is rebuilt whenever a migration changes. */
export async function migrationsHash(): Promise<string> {
  const hash = createHash("sha256");
  const files = (await readdir(migrationsFolder)).filter((f) => f.endsWith(".sql")).sort();
  for (const f of files) hash.update(f).update(await readFile(path.join(migrationsFolder, f)));
  hash.update(await readFile(path.join(migrationsFolder, "meta", "_journal.json")));
  return hash.digest("hex").slice(0, 16);
}
