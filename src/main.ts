/**
 * The only module that listens. Parses config, opens the database, runs migrations, starts the job
 * queue and (in emulator mode) the local Microsoft 365 tenant, then serves until SIGTERM/SIGINT.
 */
import { ConfigError, loadConfig } from "./config.ts";
import { startProduct } from "./server/product.ts";

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
  const product = await startProduct(config);
  const { logger } = product;
  process.stdout.write(`\n  Quorum is running: ${product.url}\n`);
  for (const line of product.startupLines) process.stdout.write(`    ${line}\n`);
  process.stdout.write("\n");

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down: draining in-flight requests");
    const force = setTimeout(() => {
      logger.error("shutdown grace period elapsed; exiting");
      process.exit(1);
    }, config.shutdownGraceMs + 5000);
    force.unref();
    product
      .stop()
      .then(() => {
        logger.info("stopped");
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, "error during shutdown");
        process.exit(1);
      });
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Quorum failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
