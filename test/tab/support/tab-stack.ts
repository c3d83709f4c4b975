/**
 * The real parts the tab's end-to-end tests run against: the shared test stack (tenant emulator on TLS,
 * the service on port 0 with a prepared test database) plus the Teams dev host, whose SSO tokens come
 * from that emulator, and the built tab under /tab/.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { emulatorDevIdentity } from "../../../src/server/dev/dev-identity.ts";
import { type DevIdentity, devRoutes } from "../../../src/server/dev/dev-routes.ts";
import { repoRoot } from "../../support/database.ts";
import { type Stack, startStack } from "../../support/stack.ts";

export interface TabStack extends Stack {
  /** Where the dev host and the tab are served (== baseUrl). */
  readonly url: string;
}

export async function startTabStack(): Promise<TabStack> {
  if (!existsSync(path.join(repoRoot, "dist", "tab", "index.html"))) {
    throw new Error(
      "The tab is not built: run `npm run build` (or `npx vite build --config tab/vite.config.ts`) first",
    );
  }
  return startDevHostStack();
}

/** The shared test stack with the Teams dev host's routes (start page, demo users, SSO tokens). */
export async function startDevHostStack(): Promise<TabStack> {
  let stack: Stack | undefined;
  const running = () => {
    if (!stack) throw new Error("the stack is still starting");
    return stack;
  };
  // The dev host reads the stack's own emulator and database once it runs.
  const identity: DevIdentity = {
    listUsers: () => emulatorDevIdentity(running().emulator, running().product.database).listUsers(),
    signInToken: (tenantId, upn) => running().emulator.signInToken(tenantId, upn),
  };
  stack = await startStack({ env: { DEV_HOSTS: "false" }, plugins: [devRoutes(identity)] });
  return { ...stack, url: stack.baseUrl };
}
