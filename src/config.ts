/**
 * The one reader of `process.env`. The environment is parsed once at start-up with a schema, frozen and
 * passed down; nothing else in the product looks at the environment.
 */
import path from "node:path";
import { z } from "zod";

const bool = z
  .enum(["true", "false", "1", "0"], { message: "allowed values: true, false, 1, 0" })
  .transform((v) => v === "true" || v === "1");

const port = z.coerce
  .number({ message: "must be a port number 0..65535" })
  .int("must be a whole number")
  .min(0, "allowed values: 0..65535")
  .max(65535, "allowed values: 0..65535");

/**
 * Values published in this repository so the emulator and a fresh checkout work without set-up. Anyone can
 * read them, so microsoft mode refuses each one (set or defaulted), naming the variable.
 */
const publishedDefaults = {
  ENTRA_CLIENT_ID: "6f1c2c52-7a43-4c39-9d1f-5d7c3ab1e0a1",
  ENTRA_CLIENT_SECRET: "quorum-emulator-secret",
  SECRET_KEY: "quorum-development-secret-key-change-me-0000",
} as const;

/**
 * Microsoft's client applications that hand Quorum SSO tokens (the token's `azp`, or `appid` in v1 tokens), as
 * Microsoft documents them for pre-authorizing a Teams tab and an Office add-in on an app registration.
 */
export const MICROSOFT_SSO_CLIENT_APP_IDS = [
  "1fec8e78-bce4-4aaf-ab1b-5451cc387264", // Teams desktop and mobile
  "5e3ce6c0-2b1f-4285-8d4b-75ee78787346", // Teams on the web
  "4765445b-32c6-49b0-83e6-1d93765276ca", // Microsoft 365 app on the web
  "0ec893e0-5785-4de6-99da-4ed124e5296c", // Microsoft 365 app desktop
  "d3590ed6-52b3-4102-aeff-aad2292ab01c", // Microsoft Office: Outlook desktop, Microsoft 365 app mobile
  "bc59ab01-8403-45c6-8796-ac3ef710b3e3", // Outlook on the web
  "27922004-5251-4030-b22d-91ecd9a37ea4", // Outlook mobile
  "93d53678-613d-4013-afc1-62e9e444a0a5", // Office on the web
  "ea5a67f6-b6f3-4338-b240-c655ddc3cc8e", // all Microsoft Office application endpoints
] as const;

const uuidList = z
  .string()
  .transform((v) =>
    v
      .split(",")
      .map((id) => id.trim().toLowerCase())
      .filter(Boolean),
  )
  .pipe(
    z
      .array(z.uuid({ message: "must be a comma-separated list of application (client) id GUIDs" }))
      .min(1, "must name at least one client application id"),
  );

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** Host interface the service binds to. */
  HOST: z.string().min(1).default("127.0.0.1"),
  PORT: port.default(3978),
  /** Public base URL of the service (what Teams, Outlook and Graph webhooks reach). Derived from HOST:PORT when unset. */
  PUBLIC_URL: z.url({ message: "must be an absolute URL such as https://quorum.contoso.com" }).optional(),
  LOG_LEVEL: z
    .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], {
      message: "allowed values: fatal, error, warn, info, debug, trace, silent",
    })
    .default("info"),
  /** PostgreSQL connection string. When unset, the embedded PGlite database under DATA_DIR is used. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// connection string")
    .optional(),
  DATA_DIR: z.string().min(1).default(".data"),
  /** `emulator` runs the local Microsoft 365 tenant emulator in-process; `microsoft` talks to Entra and Graph. */
  M365_MODE: z
    .enum(["emulator", "microsoft"], { message: "allowed values: emulator, microsoft" })
    .default("emulator"),
  EMULATOR_PORT: port.default(0),
  EMULATOR_SEED: z.string().min(1).default("contoso-demo"),
  /** Entra app registration of Quorum. In emulator mode the defaults match the emulator's seeded app. */
  ENTRA_CLIENT_ID: z
    .uuid({ message: "must be the application (client) id GUID" })
    .default(publishedDefaults.ENTRA_CLIENT_ID),
  ENTRA_CLIENT_SECRET: z.string().min(1).default(publishedDefaults.ENTRA_CLIENT_SECRET),
  /**
   * Client applications whose SSO tokens Quorum accepts (`azp`/`appid`), comma-separated: Microsoft's Teams,
   * Microsoft 365 app, Outlook and Office clients by default.
   */
  ENTRA_SSO_CLIENT_APP_IDS: uuidList.default([...MICROSOFT_SSO_CLIENT_APP_IDS]),
  /** Login authority host, e.g. https://login.microsoftonline.com. Ignored in emulator mode. */
  ENTRA_AUTHORITY_HOST: z.url().default("https://login.microsoftonline.com"),
  /** Graph base URL ending in /v1.0. Ignored in emulator mode. */
  GRAPH_BASE_URL: z.url().default("https://graph.microsoft.com/v1.0"),
  /** Secret for signing consent state and encrypting the token cache at rest. */
  SECRET_KEY: z.string().min(32, "must be at least 32 characters").default(publishedDefaults.SECRET_KEY),
  /** Bot Framework app credentials. Token validation of inbound activities is on unless BOT_AUTH=off (emulator only). */
  BOT_APP_ID: z.string().optional(),
  BOT_APP_PASSWORD: z.string().optional(),
  BOT_AUTH: z.enum(["on", "off"], { message: "allowed values: on, off" }).optional(),
  /** Plan limits: the most licences an owner may set per seat pool. */
  PLAN_MAX_CALLING_SEATS: z.coerce.number().int().min(0).default(10000),
  PLAN_MAX_SYNC_SEATS: z.coerce.number().int().min(0).default(100000),
  /** Serve the dev start page, Teams dev host and Outlook dev host. Defaults to on in emulator mode. */
  DEV_HOSTS: bool.optional(),
  /** How long HTTP draining may take on SIGTERM before open connections are closed. */
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10000),
  /** How long running queue jobs get to finish on SIGTERM, after HTTP draining (its own period). */
  SHUTDOWN_QUEUE_GRACE_MS: z.coerce.number().int().min(0).default(10000),
  /**
   * When every consented tenant's directory is re-read (leavers lose seats, group rules follow new
   * members): a five-field cron in UTC, or "off". Hourly at minute 17 by default.
   */
  DIRECTORY_ROUND_CRON: z
    .string()
    .trim()
    .regex(/^(off|\S+(\s+\S+){4})$/, {
      message: 'must be a five-field cron such as "17 * * * *" (UTC), or "off"',
    })
    .default("17 * * * *"),
});

export type Env = z.infer<typeof envSchema>;

export interface Config {
  readonly env: Env["NODE_ENV"];
  readonly host: string;
  readonly port: number;
  readonly publicUrl: string | undefined;
  readonly logLevel: Env["LOG_LEVEL"];
  readonly database:
    | { readonly kind: "pglite"; readonly dataDir: string }
    | { readonly kind: "postgres"; readonly url: string };
  readonly dataDir: string;
  readonly m365: {
    readonly mode: Env["M365_MODE"];
    readonly emulatorPort: number;
    readonly emulatorSeed: string;
    readonly clientId: string;
    readonly clientSecret: string;
    /** Client applications (`azp`/`appid` of SSO tokens) allowed to call Quorum's API. */
    readonly ssoClientAppIds: readonly string[];
    readonly authorityHost: string;
    readonly graphBaseUrl: string;
  };
  readonly secretKey: string;
  readonly bot: {
    readonly appId: string | undefined;
    readonly appPassword: string | undefined;
    readonly auth: "on" | "off";
  };
  readonly plan: { readonly maxCallingSeats: number; readonly maxSyncSeats: number };
  readonly devHosts: boolean;
  /** HTTP draining on shutdown. */
  readonly shutdownGraceMs: number;
  /** Running queue jobs on shutdown, after HTTP draining. */
  readonly shutdownQueueGraceMs: number;
  /** Cron (UTC) of the scheduled directory rounds; null when they are off. */
  readonly directoryRoundCron: string | null;
}

export class ConfigError extends Error {
  constructor(readonly issues: readonly { variable: string; message: string }[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  ${i.variable}: ${i.message}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Parses an environment (by default `process.env`) into a frozen config; throws ConfigError naming each bad variable. */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const relevant: Record<string, string> = {};
  for (const key of Object.keys(envSchema.shape)) {
    const value = source[key];
    if (value !== undefined && value !== "") relevant[key] = value;
  }
  const parsed = envSchema.safeParse(relevant);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({
        variable: String(issue.path[0] ?? "(environment)"),
        message: issue.message,
      })),
    );
  }
  const e = parsed.data;
  const issues = e.M365_MODE === "microsoft" ? microsoftModeIssues(e, relevant) : [];
  if (issues.length > 0) throw new ConfigError(issues);

  const dataDir = path.resolve(e.DATA_DIR);
  const config: Config = {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    publicUrl: e.PUBLIC_URL?.replace(/\/$/, ""),
    logLevel: e.LOG_LEVEL,
    database: e.DATABASE_URL
      ? { kind: "postgres", url: e.DATABASE_URL }
      : { kind: "pglite", dataDir: path.join(dataDir, "db") },
    dataDir,
    m365: {
      mode: e.M365_MODE,
      emulatorPort: e.EMULATOR_PORT,
      emulatorSeed: e.EMULATOR_SEED,
      clientId: e.ENTRA_CLIENT_ID,
      clientSecret: e.ENTRA_CLIENT_SECRET,
      ssoClientAppIds: e.ENTRA_SSO_CLIENT_APP_IDS,
      authorityHost: e.ENTRA_AUTHORITY_HOST.replace(/\/$/, ""),
      graphBaseUrl: e.GRAPH_BASE_URL.replace(/\/$/, ""),
    },
    secretKey: e.SECRET_KEY,
    bot: {
      appId: e.BOT_APP_ID,
      appPassword: e.BOT_APP_PASSWORD,
      auth: e.BOT_AUTH ?? (e.M365_MODE === "emulator" ? "off" : "on"),
    },
    plan: { maxCallingSeats: e.PLAN_MAX_CALLING_SEATS, maxSyncSeats: e.PLAN_MAX_SYNC_SEATS },
    devHosts: e.DEV_HOSTS ?? e.M365_MODE === "emulator",
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    shutdownQueueGraceMs: e.SHUTDOWN_QUEUE_GRACE_MS,
    directoryRoundCron: e.DIRECTORY_ROUND_CRON === "off" ? null : e.DIRECTORY_ROUND_CRON,
  };
  return deepFreeze(config);
}

/** What microsoft mode refuses: development values, the emulator's credentials and the dev surfaces. */
function microsoftModeIssues(
  e: Env,
  relevant: Record<string, string>,
): { variable: string; message: string }[] {
  const issues: { variable: string; message: string }[] = [];
  const what = {
    ENTRA_CLIENT_ID: "the application (client) id of your Entra app registration",
    ENTRA_CLIENT_SECRET: "a client secret of your Entra app registration",
    SECRET_KEY: "at least 32 random characters",
  } as const;
  for (const variable of Object.keys(publishedDefaults) as (keyof typeof publishedDefaults)[]) {
    const value = relevant[variable];
    if (value === undefined) {
      issues.push({ variable, message: `is required when M365_MODE=microsoft (${what[variable]})` });
    } else if (value === publishedDefaults[variable]) {
      issues.push({
        variable,
        message: `is the published development default, which anyone can read; set ${what[variable]} when M365_MODE=microsoft`,
      });
    }
  }
  if (!e.BOT_APP_ID) {
    issues.push({
      variable: "BOT_APP_ID",
      message: "is required when M365_MODE=microsoft (the app id of your Azure Bot resource)",
    });
  }
  if (e.BOT_AUTH === "off") {
    issues.push({ variable: "BOT_AUTH", message: "may be off only when M365_MODE=emulator" });
  }
  if (e.DEV_HOSTS === true) {
    issues.push({
      variable: "DEV_HOSTS",
      message:
        "may be true only when M365_MODE=emulator (the dev hosts sign people in as demo users and list directory members without sign-in)",
    });
  }
  return issues;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
