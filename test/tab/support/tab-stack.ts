/**
 * The real parts the tab's end-to-end tests run against: the Microsoft 365 tenant emulator (TLS on
 * 127.0.0.1), the service on port 0 with a prepared test database, the built tab under /tab/ and the
 * Teams dev host whose tokens come from the emulator.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { loadConfig } from "../../../src/config.ts";
import { type Emulator, startEmulator } from "../../../src/emulator/index.ts";
import { emulatorDevIdentity } from "../../../src/server/dev/dev-identity.ts";
import { devRoutes } from "../../../src/server/dev/dev-routes.ts";
import { type Product, startProduct } from "../../../src/server/product.ts";
import { openTestDatabase, repoRoot } from "../../support/database.ts";

export interface TabStack {
  readonly url: string;
  readonly emulator: Emulator;
  readonly product: Product;
  stop(): Promise<void>;
}

export async function startTabStack(): Promise<TabStack> {
  if (!existsSync(path.join(repoRoot, "dist", "tab", "index.html"))) {
    throw new Error(
      "The tab is not built: run `npm run build` (or `npx vite build --config tab/vite.config.ts`) first",
    );
  }
  const emulator = await startEmulator();
  const database = await openTestDatabase();
  const config = loadConfig({ PORT: "0", LOG_LEVEL: "warn", DEV_HOSTS: "false" });
  const product = await startProduct(config, {
    database,
    m365Endpoints: {
      mode: "emulator",
      authorityHost: emulator.authorityHost,
      graphBaseUrl: emulator.graphBaseUrl,
      caCertPem: emulator.caCertPem,
    },
    plugins: [devRoutes(emulatorDevIdentity(emulator, database))],
  });
  return {
    url: product.url,
    emulator,
    product,
    async stop() {
      await product.stop();
      await emulator.close();
    },
  };
}
