/**
 * The only module that listens. Parses config, composes the product (src/server/compose.ts: database,
 * job queue and its workers, and in emulator mode the local Microsoft 365 tenant), listens, then serves
 * until SIGTERM/SIGINT.
 */
import { ConfigError, loadConfig } from "./config.ts";
import { composeProduct, emulatorDataDir } from "./server/compose.ts";
import { installShutdown, shutdownBudgetMs } from "./server/shutdown.ts";

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
  // The demo tenants, their consent and calendars, and the emulator's certificate outlive a restart.
  const product = await composeProduct(config, { emulatorDataDir: emulatorDataDir(config) });
  installShutdown(product, {
    logger: product.logger,
    graceMs: shutdownBudgetMs({ httpMs: config.shutdownGraceMs, queueMs: config.shutdownQueueGraceMs }),
  });
  await product.app.listen({ host: config.host, port: config.port });
  process.stdout.write(`\n  Quorum is running: ${product.url}\n`);
  for (const line of product.startupLines) process.stdout.write(`    ${line}\n`);
  process.stdout.write("\n");
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Quorum failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
