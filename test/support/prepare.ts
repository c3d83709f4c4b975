/** Run once per test run (scripts/test.mjs): prepares the PGlite template database. */
import { ensurePgliteTemplate } from "./database.ts";

const file = await ensurePgliteTemplate();
process.stdout.write(`test database template: ${file}\n`);
