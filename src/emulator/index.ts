/**
 * A local Microsoft 365 tenant: Entra login (OpenID configuration, JWKS, token endpoint, admin consent)
 * and a faithful Graph v1.0 subset over one TLS server, seeded with the Contoso and Fabrikam demo tenants.
 * The real `@azure/msal-node`, `@microsoft/microsoft-graph-client` and Kiota-based `@microsoft/msgraph-sdk`
 * work against it unchanged; only base URLs, authority metadata, credentials and the trusted certificate
 * differ from production. With a data directory it keeps its state, certificate and signing key there
 * (store.ts); without one it lives in memory.
 */
import { mkdir } from "node:fs/promises";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import { loadConfig } from "../config.ts";
import type { Clock } from "../core/clock.ts";
import { ControlApi } from "./control.ts";
import {
  DEFAULT_APPLICATION_PERMISSIONS,
  DEFAULT_DELEGATED_PERMISSIONS,
  Entra,
  type SignInTokenOptions,
} from "./entra.ts";
import { Faults } from "./faults.ts";
import type { GraphContext } from "./graph/context.ts";
import { DeltaStore } from "./graph/delta.ts";
import { createGraphRouter } from "./graph/routes.ts";
import type { Pipeline } from "./pipeline.ts";
import { createHandler } from "./server.ts";
import { EmulatorState } from "./state.ts";
import { EmulatorStore } from "./store.ts";
import { Throttle } from "./throttle.ts";
import { emulatorCertificate, storedCertificate } from "./tls.ts";

export interface EmulatorOptions {
  host?: string;
  port?: number;
  /** Deterministic data from the seed. Default "contoso-demo". */
  seed?: string;
  logger?: Logger;
  /** Quorum's app registration; defaults come from the config defaults. */
  app?: { clientId: string; clientSecret: string; displayName?: string };
  /** Per app+mailbox limits. Defaults 4 concurrent / 10000 requests per 600000 ms. */
  throttle?: { concurrencyPerMailbox?: number; requestsPerWindow?: number; windowMs?: number };
  /** Scales Contoso's recipe (benchmarks use 10,000+). */
  usersPerTenant?: number;
  /** Time source for tokens, calendars (anchor week), expiry. Default: the wall clock. */
  clock?: Clock;
  /**
   * Where the emulator keeps its tenants, mailboxes, subscriptions, delta state, TLS certificate and
   * token-signing key between runs (`npm start`: `<DATA_DIR>/emulator`); a restart on it continues where
   * the last run stopped, on the same port when `port` is 0 and that port is free. Unset: memory only.
   */
  dataDir?: string;
}

export interface EmulatorTenant {
  id: string;
  name: string;
  domain: string;
  adminUpn: string;
}

export interface Emulator {
  /** https://127.0.0.1:PORT — one TLS server for login, Graph and the control API. */
  readonly url: string;
  /** == url; the authority of tenant T is `${authorityHost}/${T}`. */
  readonly authorityHost: string;
  /** `${url}/v1.0` */
  readonly graphBaseUrl: string;
  /**
   * PEM of the self-signed certificate the server uses (also served at `${url}/_emulator/ca.pem`); clients
   * trust this, never disable TLS checks. The same across restarts on one data directory.
   */
  readonly caCertPem: string;
  /** Contoso first, Fabrikam second. */
  readonly tenants: readonly EmulatorTenant[];
  /**
   * A Teams-SSO-shaped v2 token (aud = clientId, azp = Teams web, scp access_as_user, tid, oid,
   * preferred_username, name, wids, iss v2).
   */
  signInToken(tenantId: string, user: string, options?: SignInTokenOptions): Promise<string>;
  close(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const host = options.host ?? "127.0.0.1";
  const clock: Clock = options.clock ?? { now: () => Date.now() };
  const defaults = loadConfig({});
  const appOptions = options.app ?? {
    clientId: defaults.m365.clientId,
    clientSecret: defaults.m365.clientSecret,
  };
  const seed = options.seed ?? "contoso-demo";
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  const store = options.dataDir
    ? await EmulatorStore.open(
        options.dataDir,
        { seed, usersPerTenant: options.usersPerTenant ?? null },
        options.logger,
      )
    : undefined;
  const saved = store?.saved;
  const state = new EmulatorState({
    seed,
    clock,
    ...(options.usersPerTenant !== undefined ? { usersPerTenant: options.usersPerTenant } : {}),
    ...(saved ? { restored: saved.state } : {}),
  });
  const tlsPromise = options.dataDir ? storedCertificate(options.dataDir, host) : emulatorCertificate(host);
  let baseUrl = "";
  const entraPromise = Entra.create(
    state,
    {
      clientId: appOptions.clientId,
      clientSecret: appOptions.clientSecret,
      displayName: appOptions.displayName ?? "Quorum",
      applicationPermissions: [...DEFAULT_APPLICATION_PERMISSIONS],
      delegatedPermissions: [...DEFAULT_DELEGATED_PERMISSIONS],
    },
    store?.signingKeys(),
  );
  // Certificate and RSA keys are generated concurrently (both off the main thread where possible).
  const tls = await tlsPromise;
  const server = createServer({ key: tls.key, cert: tls.cert, keepAlive: true });
  const previousPort = saved && saved.listen.host === host ? saved.listen.port : 0;
  const listening = listen(server, host, options.port || previousPort).catch((error: unknown) => {
    if (options.port || !previousPort || (error as NodeJS.ErrnoException).code !== "EADDRINUSE") throw error;
    options.logger?.warn(
      { port: previousPort },
      "the emulator's previous port is taken: links handed out before the restart (delta links) point at the old one",
    );
    return listen(server, host, 0);
  });
  const [entra] = await Promise.all([entraPromise, listening]);
  const address = server.address() as AddressInfo;
  const publicHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
  baseUrl = `https://${publicHost}:${address.port}`;
  entra.setBaseUrl(baseUrl);
  const graphBaseUrl = `${baseUrl}/v1.0`;

  const throttle = new Throttle(
    {
      concurrencyPerMailbox: options.throttle?.concurrencyPerMailbox ?? 4,
      requestsPerWindow: options.throttle?.requestsPerWindow ?? 10_000,
      windowMs: options.throttle?.windowMs ?? 600_000,
    },
    () => clock.now(),
  );
  const faults = new Faults(state.seed);
  const delta = new DeltaStore(() => clock.now());
  if (saved) delta.restore(saved.delta);
  const ctx: GraphContext = { state, entra, graphBaseUrl, delta };
  const { router, subscriptions } = createGraphRouter(state, options.logger);
  if (saved) subscriptions.restore(saved.subscriptions);
  store?.attach(() => ({
    format: 1,
    seed,
    usersPerTenant: options.usersPerTenant ?? null,
    savedAt: new Date(clock.now()).toISOString(),
    listen: { host, port: address.port },
    state: state.saved(),
    subscriptions: subscriptions.list(),
    delta: delta.saved(),
  }));
  const pipeline: Pipeline = {
    ctx,
    router,
    throttle,
    faults,
    logger: options.logger,
  };
  const control = new ControlApi(state, entra, pipeline, faults, throttle, () => ({
    url: baseUrl,
    graphBaseUrl,
    caCertPem: tls.cert,
  }));
  control.hooks = {
    listSubscriptions: () => subscriptions.describe(),
    lifecycle: (id, event) => subscriptions.lifecycle(id, event),
    reset: () => {
      subscriptions.reset();
      delta.clearQuirks();
    },
    deltaQuirks: (tenantId, quirks) => delta.setQuirks(tenantId, quirks),
    expireDelta: (tenantId) => delta.expire(`${tenantId}|`),
  };
  server.on(
    "request",
    createHandler({
      entra,
      pipeline,
      control,
      logger: options.logger,
      url: () => baseUrl,
      ...(store ? { changed: () => store.changed() } : {}),
    }),
  );
  // A fresh directory holds the seeded demo from the start (the demo week it was made around included).
  if (store && !saved) await store.flush();

  const tenants = state.tenantList().map((t) => ({
    id: t.id,
    name: t.name,
    domain: t.domain,
    adminUpn: state.recipe(t.id)?.adminUpn ?? `admin@${t.domain}`,
  }));
  options.logger?.info({ url: baseUrl, graphBaseUrl }, "Microsoft 365 tenant emulator listening");

  return {
    url: baseUrl,
    authorityHost: baseUrl,
    graphBaseUrl,
    caCertPem: tls.cert,
    tenants,
    signInToken: (tenantId, user, opts) => entra.signInToken(tenantId, user, opts ?? {}),
    close: async () => {
      await subscriptions.idle();
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      await store?.close();
    },
  };
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}
