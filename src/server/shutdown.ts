/**
 * Graceful shutdown on SIGTERM/SIGINT, in phases that each have their own grace period: HTTP stops
 * accepting connections and in-flight requests finish (connections still open when its period ends are
 * closed); then the job queue stops, running jobs getting their own period; then the rest closes (Graph
 * connection pools, the emulator, the database). A second signal, or the whole budget elapsing, forces
 * the exit.
 */
import type { Logger } from "pino";

export interface Stoppable {
  stop(): Promise<void>;
}

export interface SignalSource {
  on(signal: "SIGTERM" | "SIGINT", listener: () => void): unknown;
}

export interface ShutdownPhases {
  /** Stops accepting connections; resolves once in-flight requests are answered. */
  drainHttp(): Promise<void>;
  /** Closes the connections still open once the HTTP grace period is over. */
  cutHttp(): void;
  /** Stops the job queue, giving running jobs `graceMs` to finish. */
  stopQueue(graceMs: number): Promise<void>;
  /** Closes what is left. */
  close(): Promise<void>;
}

export interface ShutdownGrace {
  /** HTTP draining. */
  readonly httpMs: number;
  /** Running queue jobs, counted from the end of HTTP draining. */
  readonly queueMs: number;
}

/** What closing connection pools and the database may take after both grace periods. */
const closeMarginMs = 5_000;

/** The longest a shutdown may take before it is forced: both grace periods and the closing margin. */
export function shutdownBudgetMs(grace: ShutdownGrace): number {
  return grace.httpMs + grace.queueMs + closeMarginMs;
}

/** Runs the phases in order; HTTP draining cannot eat into the queue's grace period. */
export async function stopInPhases(
  phases: ShutdownPhases,
  grace: ShutdownGrace,
  logger: Logger,
): Promise<void> {
  const cut = setTimeout(() => {
    logger.warn({ graceMs: grace.httpMs }, "HTTP grace period elapsed; closing open connections");
    phases.cutHttp();
  }, grace.httpMs);
  try {
    await phases.drainHttp();
  } finally {
    clearTimeout(cut);
  }
  await phases.stopQueue(grace.queueMs);
  await phases.close();
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
