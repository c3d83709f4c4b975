/** Vitest global setup, once per run before any test file: prepares the PGlite template database. */
import { ensurePgliteTemplate } from "./database.ts";

export default async function setup(): Promise<void> {
  const file = await ensurePgliteTemplate();
  process.stdout.write(`test database template: ${file}\n`);
}
