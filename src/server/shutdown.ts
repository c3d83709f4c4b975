/**
 * Graceful shutdown on SIGTERM/SIGINT: stop accepting connections, let in-flight requests finish, stop the
 * job queue, close the database, then exit. A second signal or the grace period elapsing forces the exit.
 */
import type { Logger } from "pino";

export interface Stoppable {
  stop(): Promise<void>;
}

export interface SignalSource {
  on(signal: "SIGTERM" | "SIGINT", listener: () => void): unknown;
}

export function installShutdown(
  target: Stoppable,
  options: { logger: Logger; graceMs: number; signals?: SignalSource; exit?: (code: number) => void },
): void {
  const signals = options.signals ?? process;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) {
      options.logger.warn({ signal }, "second signal: exiting now");
      exit(1);
      return;
    }
    stopping = true;
    options.logger.info({ signal }, "shutting down: draining in-flight requests");
    const force = setTimeout(() => {
      options.logger.error({ graceMs: options.graceMs }, "shutdown grace period elapsed; exiting");
      exit(1);
    }, options.graceMs);
    force.unref();
    target.stop().then(
      () => {
        clearTimeout(force);
        options.logger.info("stopped");
        exit(0);
      },
      (error: unknown) => {
        clearTimeout(force);
        options.logger.error({ err: error }, "error during shutdown");
        exit(1);
      },
    );
  };
  signals.on("SIGTERM", () => shutdown("SIGTERM"));
  signals.on("SIGINT", () => shutdown("SIGINT"));
}
