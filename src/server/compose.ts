/**
 * The composition root: the one place the product is built from a config. It opens the database (and
 * migrates it), starts the job queue, the tenant emulator in emulator mode, builds every service and
 * adapter, starts the queue workers and their cron schedules, and builds the HTTP app with each route
 * plugin given the services it uses. The app it returns is not listening: src/main.ts listens (tests do
 * through test/support).
 */
import { randomUUID } from "node:crypto";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import type { Logger } from "pino";
import { createCardSigner } from "../../bot/card-signing.ts";
import type { Config } from "../config.ts";
import type { AvailabilityDeps } from "../core/availability/service.ts";
import { BookingService } from "../core/booking/service.ts";
import type { Clock } from "../core/clock.ts";
import type { Notifier } from "../core/notifier.ts";
import { SeatService } from "../core/seats/service.ts";
import { type Emulator, startEmulator } from "../emulator/index.ts";
import { CA_CERT_FILE } from "../emulator/tls.ts";
import { createGraphCalendars } from "../graph/calendars.ts";
import { graphDirectorySource } from "../graph/directory.ts";
import { createGraphRooms } from "../graph/places.ts";
import { graphTelephony } from "../graph/telephony.ts";
import { createDispatcher, fetchThrough, type M365Endpoints } from "../identity/endpoints.ts";
import { DrizzlePeople, DrizzlePolicies } from "../store/booking-directory.ts";
import { DrizzleBookingStore } from "../store/bookings.ts";
import { createConversationStore } from "../store/conversations.ts";
import { type Database, openDatabase } from "../store/db.ts";
import { countriesByAddress } from "../store/members.ts";
import { type JobQueue, startQueue } from "../store/queue.ts";
import { DrizzleSeatStore } from "../store/seats/store.ts";
import { botChatRoutes } from "./dev/bot-chat.ts";
import { emulatorDevIdentity } from "./dev/dev-identity.ts";
import { devRoutes } from "./dev/dev-routes.ts";
import { ENTRA_PAGES_PREFIX, entraPages } from "./dev/entra-pages.ts";
import { outlookDevHost } from "./dev/outlook-dev-host.ts";
import { createServer, type ReadinessCheck, type ServerDeps } from "./http/app.ts";
import { addinRoutes } from "./http/routes/addin.ts";
import { adminRoutes } from "./http/routes/admin.ts";
import { availabilityRoutes } from "./http/routes/availability.ts";
import { bookingRoutes } from "./http/routes/bookings.ts";
import { directoryRoutes, mySeatsOf } from "./http/routes/directory.ts";
import { peopleRoutes } from "./http/routes/people.ts";
import { seatRoutes } from "./http/routes/seats.ts";
import { staticSite, tabSite } from "./http/routes/static.ts";
import { startBookingReconciler } from "./jobs/booking-reconciler.ts";
import { auditedNotices, createSeatJobs, queueNumberPushes } from "./jobs/seat-jobs.ts";
import { createLogger } from "./logger.ts";
import { createM365, endpointsFromConfig, type M365 } from "./m365.ts";
import { stopInPhases } from "./shutdown.ts";
import { createTeamsApp } from "./teams/app.ts";
import { serveBot } from "./teams/bot.ts";
import { createBotScheduling } from "./teams/bot-scheduling.ts";
import { createBotServices } from "./teams/bot-services.ts";
import { createTeamsNotifier } from "./teams/notifier.ts";

const repoDir = path.resolve(import.meta.dirname, "../..");

export interface Product {
  /** The HTTP app, built and not listening: the caller listens (src/main.ts, or test/support). */
  readonly app: FastifyInstance;
  /** Where the app is reached: PUBLIC_URL, or the address it listens on (read once it listens). */
  readonly url: string;
  readonly database: Database;
  readonly queue: JobQueue;
  readonly logger: Logger;
  /** Identity, tenants, consent and the Graph gateway. */
  readonly m365: M365;
  /** Proactive Teams messages through the bot's stored conversation references. */
  readonly notifier: Notifier;
  /** The in-process Microsoft 365 tenant emulator (emulator mode, unless the caller supplied endpoints). */
  readonly emulator: Emulator | undefined;
  readonly startupLines: string[];
  /**
   * Shuts down in phases, each with its own grace period: HTTP drains (SHUTDOWN_GRACE_MS), then the queue
   * stops (SHUTDOWN_QUEUE_GRACE_MS), then Graph pools, the emulator and the database close.
   */
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

/** The URL of an app listening on `config.host` (PUBLIC_URL wins when set). */
function listeningUrl(app: FastifyInstance, config: Config): string {
  if (config.publicUrl) return config.publicUrl;
  const address = app.server.address();
  if (!address || typeof address !== "object") return "";
  return `http://${config.host === "0.0.0.0" ? "127.0.0.1" : config.host}:${address.port}`;
}

export async function composeProduct(config: Config, options: ProductOptions = {}): Promise<Product> {
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

  // Microsoft 365: the caller's endpoints, Microsoft's, or the in-process emulator's.
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
  const m365Endpoints = options.m365Endpoints ?? endpointsFromConfig(config, emulator);
  // Read per request, once the caller listens (the port may be chosen by the system).
  const publicUrl = () => listeningUrl(app, config);

  // Teams: the SDK app, and proactive messages through it (every feature's notifications).
  const botLogger = logger.child({ component: "bot" });
  const teams = await createTeamsApp({ config, logger: botLogger });
  const conversations = createConversationStore(database, clock);
  const signer = createCardSigner(config.secretKey);
  const notifier = createTeamsNotifier({
    sdk: teams.sdk,
    conversations,
    database,
    signer,
    clock,
    logger: botLogger,
  });

  const m365 = createM365({
    config,
    endpoints: m365Endpoints,
    database,
    clock,
    logger,
    publicUrl,
    // The emulator's consent page reaches the browser through this service's origin.
    ...(m365Endpoints.mode === "emulator"
      ? { browserAuthority: () => `${publicUrl()}${ENTRA_PAGES_PREFIX}` }
      : {}),
    onConsentLost: async (tenantId, message) => {
      await notifier.notify({ kind: "consentLost", tenantId, message });
    },
  });

  // Seats.
  const seatStore = new DrizzleSeatStore(database, clock);
  // Notices are audited, then delivered like every other notification.
  const notices = auditedNotices(seatStore, logger.child({ component: "notices" }), notifier);
  const telephony = graphTelephony(m365.graph);
  const seats = new SeatService({
    store: seatStore,
    numbers: queueNumberPushes(queue),
    notices,
    teams: notifier,
    telephony,
    limits: { calling: config.plan.maxCallingSeats, sync: config.plan.maxSyncSeats },
  });
  const seatJobs = createSeatJobs({
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

  // Availability and bookings (the tab, the add-in and the bot share them).
  const calendars = createGraphCalendars(m365.graph, (tenantId, addresses) =>
    countriesByAddress(database.db, tenantId, addresses),
  );
  const policies = new DrizzlePolicies(database);
  const people = new DrizzlePeople(database);
  const rooms = createGraphRooms(m365.graph, clock);
  const availability: AvailabilityDeps = { calendars, policies, people, rooms, clock };
  const bookings = new BookingService({
    calendars,
    store: new DrizzleBookingStore(database),
    people,
    rooms,
    notifier,
    policies,
    clock,
    newId: randomUUID,
  });

  // The bot answers on the Teams app's messaging endpoint.
  serveBot({
    config,
    logger: botLogger,
    clock,
    database,
    conversations,
    signer,
    teams,
    services: createBotServices({
      database,
      seats,
      tenants: m365.tenants,
      scheduling: createBotScheduling({ availability, bookings }),
    }),
  });

  // Queue workers and their cron schedules.
  await seatJobs.start();
  await startBookingReconciler({
    database,
    graph: m365.graph,
    queue,
    clock,
    logger: logger.child({ component: "bookings" }),
  });

  const readiness: ReadinessCheck[] = [...(emulator ? [emulatorReadiness(emulator)] : []), m365.readiness];
  const devPlugins = config.devHosts
    ? [
        devRoutes(
          emulator ? emulatorDevIdentity(emulator, database) : undefined,
          m365Endpoints.mode === "emulator" && m365Endpoints.caCertPem
            ? { url: m365Endpoints.authorityHost, caCertPem: m365Endpoints.caCertPem }
            : undefined,
        ),
        outlookDevHost({ devHostDir: path.join(repoDir, "addin", "dev-host") }),
        botChatRoutes({ database }),
      ]
    : [];
  const app = await createServer({
    config,
    logger,
    clock,
    database,
    readiness,
    auth: m365,
    plugins: [
      adminRoutes({ m365, seatsOf: mySeatsOf(seats) }),
      seatRoutes({
        database,
        seats,
        jobs: seatJobs,
        scheduledRounds: config.directoryRoundCron !== null,
      }),
      addinRoutes({
        distDir: path.join(repoDir, "dist", "addin"),
        manifestPath: path.join(repoDir, "manifest.xml"),
        publicUrl: config.publicUrl,
        clientId: config.m365.clientId,
      }),
      staticSite(tabSite),
      directoryRoutes({ database, seats }),
      peopleRoutes({ database, graph: m365.graph, clock }),
      availabilityRoutes({ availability, policies }),
      bookingRoutes({ bookings }),
      teams.plugin,
      ...(m365Endpoints.mode === "emulator"
        ? [
            entraPages({
              authorityHost: m365Endpoints.authorityHost,
              dispatcher: createDispatcher(m365Endpoints, { connections: 4 }),
            }),
          ]
        : []),
      ...devPlugins,
      ...(options.plugins ?? []),
    ],
  });

  return {
    app,
    get url() {
      return publicUrl();
    },
    database,
    queue,
    logger,
    m365,
    notifier,
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
      await stopInPhases(
        {
          async drainHttp() {
            // Fastify stops accepting and waits for in-flight requests; connections that turn idle after
            // their last response (keep-alive clients) are swept so they do not hold the shutdown open.
            const closing = app.close();
            const sweeper = setInterval(() => app.server.closeIdleConnections(), 100);
            try {
              await closing;
            } finally {
              clearInterval(sweeper);
            }
          },
          cutHttp: () => app.server.closeAllConnections(),
          stopQueue: (graceMs) => queue.stop(graceMs),
          async close() {
            await m365.close();
            await emulator?.close();
            await database.close();
          },
        },
        { httpMs: config.shutdownGraceMs, queueMs: config.shutdownQueueGraceMs },
        logger,
      );
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
