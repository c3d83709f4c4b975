/**
 * The whole stack for integration tests: the Microsoft 365 emulator (port 0) and the product (port 0) on
 * a fresh test database, wired together exactly as in emulator mode.
 *
 * ```ts
 * const stack = await startStack();
 * await stack.consent();                                   // Contoso consented, Megan Bowen is owner
 * const token = await stack.tokenFor("ana.souza@contoso.com");
 * const res = await stack.request("GET", "/api/me", { token });
 * await stack.stop();
 * ```
 * Logs are silent unless QUORUM_TEST_LOG is set (to a level, e.g. `debug`).
 */
import { Agent, fetch as undiciFetch } from "undici";
import { loadConfig } from "../../src/config.ts";
import type { Clock } from "../../src/core/clock.ts";
import type { SignInTokenOptions } from "../../src/emulator/entra.ts";
import { type Emulator, type EmulatorTenant, startEmulator } from "../../src/emulator/index.ts";
import type { Product, ProductOptions } from "../../src/server/compose.ts";
import { createLogger } from "../../src/server/logger.ts";
import { testClock } from "./clock.ts";
import { type ConsentOptions, runConsentFlow } from "./consent-flow.ts";
import { openTestDatabase, type TestEngine } from "./database.ts";
import { listenProduct } from "./product.ts";

export interface StackOptions {
  /** Extra environment for loadConfig (never process.env). */
  env?: Record<string, string>;
  /** The clock of the emulator and the service; default: this run's pinned clock (test/support/clock.ts). */
  clock?: Clock;
  engine?: TestEngine;
  emulator?: Parameters<typeof startEmulator>[0];
  /** Where the product's logs go (at debug level); default: silent unless QUORUM_TEST_LOG is set. */
  logDestination?: { write(line: string): void };
  /** Extra route plugins for the product (e.g. a test-only route using the auth hooks). */
  plugins?: ProductOptions["plugins"];
}

export interface StackResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface Stack {
  /** The clock the emulator and the service share (pinned for the run unless the test gave one). */
  readonly clock: Clock;
  readonly emulator: Emulator;
  readonly product: Product;
  /** http://127.0.0.1:PORT of the product. */
  readonly baseUrl: string;
  /** Contoso first, Fabrikam second. */
  readonly tenants: readonly EmulatorTenant[];
  /** A Teams SSO token for a user (UPN or object id) of a tenant (default Contoso). */
  tokenFor(user: string, tenantId?: string, options?: SignInTokenOptions): Promise<string>;
  /** Runs the whole admin-consent flow for a tenant (default Contoso) as its Global Administrator. */
  consent(tenantId?: string, options?: ConsentOptions): Promise<StackResponse<string>>;
  /** Calls the product's HTTP API; JSON bodies in and out. */
  request<T = unknown>(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<StackResponse<T>>;
  /** Calls the emulator (control API `/_emulator/...` or any path), trusting its certificate. */
  emulatorRequest<T = unknown>(method: string, path: string, body?: unknown): Promise<StackResponse<T>>;
  stop(): Promise<void>;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const clock = options.clock ?? testClock();
  const level = process.env.QUORUM_TEST_LOG;
  const database = await openTestDatabase(options.engine);
  const config = loadConfig({
    // On PostgreSQL the job queue connects to the test's own database.
    ...(database.url ? { DATABASE_URL: database.url } : {}),
    NODE_ENV: "test",
    HOST: "127.0.0.1",
    PORT: "0",
    LOG_LEVEL: options.logDestination
      ? "debug"
      : level
        ? level === "1" || level === "true"
          ? "debug"
          : level
        : "silent",
    M365_MODE: "emulator",
    EMULATOR_PORT: "0",
    // Scheduled directory rounds would re-read directories at minute 17 of the clock in the middle of a
    // test; the rounds' own test turns them on.
    DIRECTORY_ROUND_CRON: "off",
    ...options.env,
  });
  const logger = createLogger(config, options.logDestination);
  const emulator = await startEmulator({
    port: 0,
    seed: config.m365.emulatorSeed,
    app: { clientId: config.m365.clientId, clientSecret: config.m365.clientSecret },
    clock,
    ...options.emulator,
  });
  let product: Product;
  try {
    product = await listenProduct(config, {
      logger,
      database,
      clock,
      ...(options.plugins ? { plugins: options.plugins } : {}),
      m365Endpoints: {
        mode: "emulator",
        authorityHost: emulator.authorityHost,
        graphBaseUrl: emulator.graphBaseUrl,
        caCertPem: emulator.caCertPem,
      },
    });
  } catch (error) {
    await database.close();
    await emulator.close();
    throw error;
  }
  const agent = new Agent({ connect: { ca: [emulator.caCertPem] } });
  const contoso = emulator.tenants[0]!;

  const read = async <T>(response: Awaited<ReturnType<typeof undiciFetch>>): Promise<StackResponse<T>> => {
    const text = await response.text();
    let body: unknown = text;
    if ((response.headers.get("content-type") ?? "").includes("json") && text) body = JSON.parse(text);
    return {
      status: response.status,
      headers: response.headers as unknown as Headers,
      body: body as T,
      text,
    };
  };

  const stack: Stack = {
    clock,
    emulator,
    product,
    baseUrl: product.url,
    tenants: emulator.tenants,

    tokenFor(user, tenantId = contoso.id, tokenOptions) {
      return emulator.signInToken(tenantId, user, tokenOptions);
    },

    async request(method, path, requestOptions = {}) {
      const headers: Record<string, string> = { ...requestOptions.headers };
      if (requestOptions.token) headers.authorization = `Bearer ${requestOptions.token}`;
      if (requestOptions.body !== undefined) headers["content-type"] = "application/json";
      const response = await undiciFetch(`${product.url}${path}`, {
        method,
        headers,
        redirect: "manual",
        ...(requestOptions.body !== undefined ? { body: JSON.stringify(requestOptions.body) } : {}),
      });
      return read(response);
    },

    async emulatorRequest(method, path, body) {
      const response = await undiciFetch(`${emulator.url}${path}`, {
        method,
        dispatcher: agent,
        redirect: "manual",
        ...(body !== undefined
          ? { body: JSON.stringify(body), headers: { "content-type": "application/json" } }
          : {}),
      });
      return read(response);
    },

    async consent(tenantId = contoso.id, consentOptions: ConsentOptions = {}) {
      return read<string>(
        await runConsentFlow({ productUrl: product.url, emulator, agent, tenantId, options: consentOptions }),
      );
    },

    async stop() {
      await product.stop();
      await emulator.close();
      await agent.close();
    },
  };
  return stack;
}
