/**
 * Composes the whole product from a config: database + migrations, job queue, the tenant emulator in
 * emulator mode, and the HTTP server. Used by main.ts and by integration tests (port 0).
 */
import path from "node:path";
import type { FastifyInstance } from "fastify";
import type { Logger } from "pino";
import type { Scheduling } from "../../bot/ports.ts";
import type { Config } from "../config.ts";
import type { Clock } from "../core/clock.ts";
import { DomainError } from "../core/errors.ts";
import type { Notifier } from "../core/notifier.ts";
import { SeatService } from "../core/seats/service.ts";
import type { Telephony } from "../core/seats/telephony.ts";
import { type Emulator, startEmulator } from "../emulator/index.ts";
import { CA_CERT_FILE } from "../emulator/tls.ts";
import { graphDirectorySource } from "../graph/directory.ts";
import { graphTelephony } from "../graph/telephony.ts";
import { createDispatcher, fetchThrough, type M365Endpoints } from "../identity/endpoints.ts";
import { type Database, openDatabase } from "../store/db.ts";
import { type JobQueue, startQueue } from "../store/queue.ts";
import { DrizzleSeatStore } from "../store/seats/store.ts";
import { emulatorDevIdentity } from "./dev/dev-identity.ts";
import { devRoutes } from "./dev/dev-routes.ts";
import { ENTRA_PAGES_PREFIX, entraPages } from "./dev/entra-pages.ts";
import { outlookDevHost } from "./dev/outlook-dev-host.ts";
import { createServer, type ReadinessCheck, type ServerDeps } from "./http/app.ts";
import { addinRoutes } from "./http/routes/addin.ts";
import { adminRoutes } from "./http/routes/admin.ts";
import { availabilityRoutes } from "./http/routes/availability.ts";
import { bookingRoutes, createSchedulingServices } from "./http/routes/bookings.ts";
import { directoryRoutes, mySeatsOf } from "./http/routes/directory.ts";
import { peopleRoutes } from "./http/routes/people.ts";
import { seatRoutes } from "./http/routes/seats.ts";
import { staticSite, tabSite } from "./http/routes/static.ts";
import { startBookingReconciler } from "./jobs/booking-reconciler.ts";
import { createAuditNotifier, createSeatJobs, queueNumberPushes, type SeatJobs } from "./jobs/seat-jobs.ts";
import { createLogger } from "./logger.ts";
import { createM365, endpointsFromConfig, type M365 } from "./m365.ts";
import { createBotHost } from "./teams/bot.ts";
import { bookingNotifierFor, createBotScheduling } from "./teams/bot-scheduling.ts";
import { createBotServices } from "./teams/bot-services.ts";

const repoDir = path.resolve(import.meta.dirname, "../..");

export interface Product {
  readonly url: string;
  readonly app: FastifyInstance;
  readonly database: Database;
  readonly queue: JobQueue;
  readonly logger: Logger;
  /** Identity, tenants, consent and the Graph gateway (undefined only in emulator mode without an emulator). */
  readonly m365: M365 | undefined;
  /** Proactive Teams messages through the bot's stored conversation references. */
  readonly notifier: Notifier;
  /** The in-process Microsoft 365 tenant emulator (emulator mode, unless the caller supplied endpoints). */
  readonly emulator: Emulator | undefined;
  readonly startupLines: string[];
  /** Drains in-flight requests, stops the queue, closes the database. */
  stop(): Promise<void>;
}

export interface ProductOptions {
  logger?: Logger;
  clock?: Clock;
  /** Use this already-open database instead of opening one from config (tests use a prepared template). */
  database?: Database;
  /** Microsoft 365 endpoints to use instead of the ones derived from config (e.g. an emulator started by the caller). */
  m365Endpoints?: M365Endpoints;
  /** Extra route plugins registered after the product's own. */
  plugins?: ServerDeps["plugins"];
  /**
   * Where the in-process tenant emulator keeps its tenants, certificate and signing key between runs
   * (`emulatorDataDir(config)`, as `npm start` does); unset, it lives in memory.
   */
  emulatorDataDir?: string;
}

/** The emulator's data directory under DATA_DIR: `npm start` keeps the demo tenants there across restarts. */
export function emulatorDataDir(config: Config): string {
  return path.join(config.dataDir, "emulator");
}

export async function startProduct(config: Config, options: ProductOptions = {}): Promise<Product> {
  const logger = options.logger ?? createLogger(config);
  const clock = options.clock ?? { now: () => Date.now() };
  const database =
    options.database ??
    (await openDatabase(
      config.database.kind === "pglite"
        ? { kind: "pglite", dataDir: config.database.dataDir }
        : { kind: "postgres", url: config.database.url },
    ));
  await database.migrate();
  const queue = await startQueue(database, {
    onError: (error) => logger.error({ err: error }, "job queue error"),
  });

  const readiness: ReadinessCheck[] = [];
  let publicUrl = config.publicUrl ?? "";
  const emulator =
    config.m365.mode === "emulator" && !options.m365Endpoints
      ? await startEmulator({
          port: config.m365.emulatorPort,
          seed: config.m365.emulatorSeed,
          app: { clientId: config.m365.clientId, clientSecret: config.m365.clientSecret },
          logger: logger.child({ component: "emulator" }),
          clock,
          ...(options.emulatorDataDir ? { dataDir: options.emulatorDataDir } : {}),
        })
      : undefined;
  if (emulator) readiness.push(emulatorReadiness(emulator));
  const m365Endpoints =
    options.m365Endpoints ??
    (config.m365.mode === "microsoft"
      ? endpointsFromConfig(config)
      : emulator
        ? {
            mode: "emulator" as const,
            authorityHost: emulator.authorityHost,
            graphBaseUrl: emulator.graphBaseUrl,
            caCertPem: emulator.caCertPem,
          }
        : undefined);
  const m365 = m365Endpoints
    ? createM365({
        config,
        endpoints: m365Endpoints,
        database,
        clock,
        logger,
        publicUrl: () => publicUrl,
        // The emulator's consent page reaches the browser through this service's origin.
        ...(m365Endpoints.mode === "emulator"
          ? { browserAuthority: () => `${publicUrl}${ENTRA_PAGES_PREFIX}` }
          : {}),
        onConsentLost: async (tenantId, message) => {
          await bot.notifier.notify({ kind: "consentLost", tenantId, message });
        },
      })
    : undefined;
  if (m365) readiness.push(m365.readiness);
  let botScheduling: Scheduling | undefined;
  const seatStore = new DrizzleSeatStore(database, clock);
  const notices = createAuditNotifier(
    seatStore,
    logger.child({ component: "notices" }),
    (tenantId, to, notice) => bot.deliverNotice(tenantId, to, notice),
  );
  const telephony = m365 ? graphTelephony(m365.graph) : noTelephony;
  const seats = new SeatService({
    store: seatStore,
    numbers: queueNumberPushes(queue),
    notices,
    teams: { notify: (notification) => bot.notifier.notify(notification) },
    telephony,
    limits: { calling: config.plan.maxCallingSeats, sync: config.plan.maxSyncSeats },
  });
  const bot = createBotHost({
    config,
    logger,
    clock,
    database,
    services: createBotServices({
      database,
      clock,
      seats,
      ...(m365 ? { tenants: m365.tenants } : {}),
      scheduling: () => botScheduling,
    }),
  });
  let seatJobs: SeatJobs | undefined;
  if (m365) {
    seatJobs = createSeatJobs({
      database,
      clock,
      store: seatStore,
      seats,
      queue,
      telephony,
      directorySource: (tenantId) => graphDirectorySource(m365.graph, tenantId),
      notifier: notices,
      logger: logger.child({ component: "seats" }),
      directoryRoundCron: config.directoryRoundCron,
    });
    await seatJobs.start();
  }
  const scheduling = m365
    ? createSchedulingServices({
        database,
        graph: m365.graph,
        clock,
        notifier: bookingNotifierFor(bot.notifier),
      })
    : undefined;
  botScheduling = scheduling ? createBotScheduling(scheduling) : undefined;
  if (m365) {
    await startBookingReconciler({
      database,
      graph: m365.graph,
      queue,
      clock,
      logger: logger.child({ component: "bookings" }),
    });
  }
  const app = await createServer({
    config,
    logger,
    clock,
    database,
    readiness,
    ...(m365 ? { auth: m365 } : {}),
    plugins: [
      ...(m365 ? [adminRoutes(m365, mySeatsOf(seats))] : []),
      ...(seatJobs
        ? [
            seatRoutes({
              database,
              seats,
              jobs: seatJobs,
              scheduledRounds: config.directoryRoundCron !== null,
            }),
          ]
        : []),
      addinRoutes({
        distDir: path.join(repoDir, "dist", "addin"),
        manifestPath: path.join(repoDir, "manifest.xml"),
        publicUrl: config.publicUrl,
        clientId: config.m365.clientId,
      }),
      staticSite(tabSite),
      directoryRoutes({ database, seats }),
      ...(m365 ? [peopleRoutes({ database, graph: m365.graph, clock })] : []),
      ...(scheduling
        ? [
            availabilityRoutes(scheduling.availability, scheduling.policies),
            bookingRoutes(scheduling.bookings),
          ]
        : []),
      bot.plugin,
      ...(m365Endpoints?.mode === "emulator"
        ? [
            entraPages({
              authorityHost: m365Endpoints.authorityHost,
              dispatcher: createDispatcher(m365Endpoints, { connections: 4 }),
            }),
          ]
        : []),
      ...(config.devHosts
        ? [
            devRoutes(
              emulator ? emulatorDevIdentity(emulator, database) : undefined,
              m365Endpoints?.mode === "emulator" && m365Endpoints.caCertPem
                ? { url: m365Endpoints.authorityHost, caCertPem: m365Endpoints.caCertPem }
                : undefined,
            ),
          ]
        : []),
      ...(config.devHosts ? [outlookDevHost({ devHostDir: path.join(repoDir, "addin", "dev-host") })] : []),
      ...(options.plugins ?? []),
    ],
  });
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const url = config.publicUrl ?? `http://${config.host === "0.0.0.0" ? "127.0.0.1" : config.host}:${port}`;
  publicUrl = url;

  return {
    url,
    app,
    database,
    queue,
    logger,
    m365,
    notifier: bot.notifier,
    emulator,
    startupLines: [
      `Database: ${database.kind}${config.database.kind === "pglite" ? ` (${config.database.dataDir})` : ""}`,
      ...(emulator
        ? [
            `Microsoft 365 emulator: Graph base URL ${emulator.graphBaseUrl}`,
            `Microsoft 365 emulator: login authority ${emulator.authorityHost}/{tenant-id} (Contoso ${emulator.authorityHost}/${emulator.tenants[0]?.id ?? ""})`,
            options.emulatorDataDir
              ? `Microsoft 365 emulator: state kept in ${options.emulatorDataDir}; CA certificate ${path.join(options.emulatorDataDir, CA_CERT_FILE)}`
              : "Microsoft 365 emulator: state in memory only",
          ]
        : []),
    ],
    async stop() {
      // Fastify stops accepting and waits for in-flight requests; connections that turn idle after their
      // last response (keep-alive clients) are swept so they do not hold the shutdown open.
      const closing = app.close();
      const sweeper = setInterval(() => app.server.closeIdleConnections(), 100);
      try {
        await closing;
      } finally {
        clearInterval(sweeper);
      }
      await queue.stop(config.shutdownGraceMs);
      await m365?.close();
      await emulator?.close();
      await database.close();
    },
  };
}

/** Readiness of the in-process emulator: its TLS endpoint answers, trusted through its own certificate. */
function emulatorReadiness(emulator: Emulator): ReadinessCheck {
  const dispatcher = createDispatcher(
    {
      mode: "emulator",
      authorityHost: emulator.authorityHost,
      graphBaseUrl: emulator.graphBaseUrl,
      caCertPem: emulator.caCertPem,
    },
    { connections: 2 },
  );
  return {
    name: "emulator",
    async check() {
      const response = await fetchThrough(dispatcher)(`${emulator.url}/_emulator`);
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`emulator answered ${response.status}`);
    },
    info: () => ({ graphBaseUrl: emulator.graphBaseUrl, authority: emulator.authorityHost }),
  };
}

const noPhoneSystem = () =>
  new DomainError("SERVICE_UNAVAILABLE", "Teams telephone numbers are not available without Microsoft 365.");

/** Without Microsoft 365 there is no phone system: whatever needs it says so. */
const noTelephony: Telephony = {
  assignNumber: async () => {
    throw noPhoneSystem();
  },
  unassignNumber: async () => {
    throw noPhoneSystem();
  },
  operation: async () => {
    throw noPhoneSystem();
  },
  numbers: () => ({
    [Symbol.asyncIterator]: () => ({
      next: async () => {
        throw noPhoneSystem();
      },
    }),
  }),
};
