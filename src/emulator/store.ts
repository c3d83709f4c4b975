/**
 * The emulator's state on disk, so a restart on the same data directory continues where the last run
 * stopped (`npm start` uses `<DATA_DIR>/emulator`):
 *
 *   state.json        the demo week and seed it was made from, the version counter, every tenant (directory,
 *                     consent grant, phone numbers and their operations, deleted users, delta epoch), the
 *                     mailboxes materialised or changed so far (calendars, events with their exceptions,
 *                     contacts and folders, To Do lists and tasks, tombstones), subscriptions, delta sync
 *                     state and the address the emulator listened on
 *   signing-key.json  Entra's RS256 token-signing key (a private JWK): tokens issued before a restart verify
 *   ca.pem, ca-key.pem  the TLS certificate (tls.ts)
 *
 * state.json is a snapshot written whole (temporary file, flush, rename): 250 ms after a request is answered
 * the state is serialised and, when it differs from what was last written, saved (at most one save per
 * 250 ms under load), and once more on close; a killed process loses at most its last 250 ms. Mailboxes nobody
 * has opened are not in it: they are generated from the seed on first access, around the demo week kept
 * in the file, so they fit the ones already there however much later the emulator restarts.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { exportJWK, generateKeyPair, importJWK, type JWK } from "jose";
import type { Logger } from "pino";
import { z } from "zod";
import { writeFileAtomic } from "./files.ts";
import type { SavedDelta } from "./graph/delta.ts";
import type { Subscription } from "./graph/subscriptions.ts";
import type { SavedState } from "./state.ts";

export const STATE_FILE = "state.json";
export const SIGNING_KEY_FILE = "signing-key.json";
const FORMAT = 1;
const DEBOUNCE_MS = 250;

export interface SavedEmulator {
  format: typeof FORMAT;
  seed: string;
  usersPerTenant: number | null;
  savedAt: string;
  /** Where the emulator listened: a restart takes the same port when it is free, so links keep working. */
  listen: { host: string; port: number };
  state: SavedState;
  subscriptions: Subscription[];
  delta: SavedDelta;
}

/** The envelope is checked; what is inside is the emulator's own output, read back as it was written. */
const savedSchema = z.object({
  format: z.literal(FORMAT),
  seed: z.string(),
  usersPerTenant: z.number().int().positive().nullable(),
  savedAt: z.string(),
  listen: z.object({ host: z.string(), port: z.number().int().min(0).max(65_535) }),
  state: z.object({
    anchor: z.number(),
    version: z.number().int(),
    tenants: z.array(z.record(z.string(), z.unknown())),
  }),
  subscriptions: z.array(z.record(z.string(), z.unknown())),
  delta: z.object({ states: z.array(z.unknown()), rounds: z.array(z.unknown()) }),
});

/** Maps (the model's indexes) are written as `{"$map": [[key, value], ...]}`. */
function replacer(_key: string, value: unknown): unknown {
  return value instanceof Map ? { $map: [...value] } : value;
}

function reviver(_key: string, value: unknown): unknown {
  if (value && typeof value === "object" && !Array.isArray(value)) {
    const entries = (value as { $map?: unknown }).$map;
    if (Array.isArray(entries) && Object.keys(value).length === 1)
      return new Map(entries as [unknown, unknown][]);
  }
  return value;
}

export class EmulatorDataError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "EmulatorDataError";
  }
}

async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

export class EmulatorStore {
  private snapshot: (() => SavedEmulator) | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** The text last written, so an unchanged state is not written again. */
  private written: string;
  private writing: Promise<void> = Promise.resolve();
  private closed = false;

  private constructor(
    readonly dir: string,
    /** What the last run left, if anything (a fresh directory has nothing: the demo is seeded). */
    readonly saved: SavedEmulator | undefined,
    savedText: string,
    private readonly logger: Logger | undefined,
  ) {
    this.written = savedText;
  }

  /**
   * Opens the data directory and reads what the last run left. Refuses a directory made from another seed
   * or tenant size, or a state file it cannot read, rather than seeding over it.
   */
  static async open(
    dir: string,
    expected: { seed: string; usersPerTenant: number | null },
    logger?: Logger,
  ): Promise<EmulatorStore> {
    const file = path.join(dir, STATE_FILE);
    const text = await readOptional(file);
    if (text === undefined) return new EmulatorStore(dir, undefined, "", logger);
    let saved: SavedEmulator;
    try {
      const parsed = JSON.parse(text, reviver) as unknown;
      savedSchema.parse(parsed);
      saved = parsed as SavedEmulator;
    } catch (error) {
      throw new EmulatorDataError(
        `The emulator's state in ${file} cannot be read (${error instanceof Error ? error.message : String(error)}). ` +
          "Move the directory aside to start again from the demo seed.",
        { cause: error },
      );
    }
    if (saved.seed !== expected.seed || saved.usersPerTenant !== expected.usersPerTenant) {
      throw new EmulatorDataError(
        `The emulator's data in ${dir} was made from the seed "${saved.seed}"` +
          `${saved.usersPerTenant === null ? "" : ` with ${saved.usersPerTenant} users per tenant`}, not "${expected.seed}"` +
          `${expected.usersPerTenant === null ? "" : ` with ${expected.usersPerTenant}`}. ` +
          "Start with the same seed, or move the directory aside for a fresh demo.",
      );
    }
    return new EmulatorStore(dir, saved, text, logger);
  }

  /** Starts saving: `snapshot` describes the live state whenever a save is due. */
  attach(snapshot: () => SavedEmulator): void {
    this.snapshot = snapshot;
  }

  /** Something may have changed: saves within 250 ms (at most one save per 250 ms under load). */
  changed(): void {
    if (this.closed || this.timer || !this.snapshot) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush().catch((error: unknown) =>
        this.logger?.error({ err: error, dir: this.dir }, "the emulator's state could not be saved"),
      );
    }, DEBOUNCE_MS);
    this.timer.unref();
  }

  /** Writes the state now (when it differs from what was last written). */
  flush(): Promise<void> {
    if (!this.snapshot) return this.writing;
    const text = JSON.stringify(this.snapshot(), replacer);
    if (text === this.written) return this.writing;
    this.written = text;
    const file = path.join(this.dir, STATE_FILE);
    const previous = this.writing;
    this.writing = (async () => {
      // Writes go one after the other; a failed one was reported to whoever waited for it.
      await Promise.allSettled([previous]);
      try {
        await writeFileAtomic(file, text);
      } catch (error) {
        if (this.written === text) this.written = "";
        throw error;
      }
    })();
    return this.writing;
  }

  /** Saves what is pending and stops saving. */
  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush();
    this.closed = true;
  }

  /** Entra's signing key kept in the directory, made and written on first use. */
  async signingKeys(): Promise<{ privateKey: CryptoKey; publicKey: CryptoKey }> {
    const file = path.join(this.dir, SIGNING_KEY_FILE);
    const text = await readOptional(file);
    let jwk: JWK;
    if (text === undefined) {
      const pair = await generateKeyPair("RS256", { extractable: true });
      jwk = await exportJWK(pair.privateKey);
      await writeFileAtomic(file, `${JSON.stringify(jwk)}\n`, 0o600);
    } else {
      try {
        jwk = JSON.parse(text) as JWK;
      } catch (error) {
        throw new EmulatorDataError(`The signing key in ${file} is not JSON; move it aside for a new one.`, {
          cause: error,
        });
      }
    }
    const { kty, n, e } = jwk;
    const [privateKey, publicKey] = await Promise.all([
      importJWK(jwk, "RS256", { extractable: true }),
      importJWK({ kty, n, e }, "RS256", { extractable: true }),
    ]);
    if (!(privateKey instanceof CryptoKey) || !(publicKey instanceof CryptoKey))
      throw new EmulatorDataError(`The signing key in ${file} is not an RSA key.`);
    return { privateKey, publicKey };
  }
}
