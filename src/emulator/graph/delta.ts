/**
 * Delta queries as Graph does them: a round pages through `@odata.nextLink` (`$skiptoken`) and ends with
 * an `@odata.deltaLink` (`$deltatoken`). Sync state is kept server-side per token (id -> version seen), so
 * a replayed delta link answers again, removed items come back as `@removed`, and a token from an older
 * epoch (reset, restore, forced expiry) or older than the retention answers `syncStateNotFound`.
 */
import { randomUUID } from "node:crypto";
import { GraphError } from "../http.ts";

export interface DeltaItem {
  id: string;
  version: number;
  render(): Record<string, unknown>;
}

interface SyncState {
  scope: string;
  epoch: number;
  versions: Map<string, number>;
  createdAt: number;
}

interface PendingRound {
  scope: string;
  epoch: number;
  items: Record<string, unknown>[];
  deltaToken: string;
  /** The page size asked for when the round started; its nextLinks keep it, as Graph's skip tokens do. */
  pageSize: number;
  createdAt: number;
}

/** Sync state as the emulator's store keeps it between runs (store.ts). */
export interface SavedDelta {
  states: [string, SyncState][];
  rounds: [string, PendingRound][];
}

/** Sync states older than this are forgotten (Outlook keeps them for days; directory for 7 days). */
const RETENTION_MS = 7 * 24 * 3_600_000;

/** Quirks real Graph shows and clients must survive: empty pages that still carry a nextLink, and replays. */
export interface DeltaQuirks {
  /** Every round starts with an empty page that has a nextLink. */
  emptyPages: boolean;
  /** Each page after the first repeats the previous page's last item. */
  duplicates: boolean;
}

export class DeltaStore {
  private states = new Map<string, SyncState>();
  private rounds = new Map<string, PendingRound>();
  private quirks = new Map<string, DeltaQuirks>();

  setQuirks(tenantId: string, quirks: DeltaQuirks): void {
    this.quirks.set(tenantId, quirks);
  }

  clearQuirks(): void {
    this.quirks.clear();
  }

  private quirksFor(scope: string): DeltaQuirks | undefined {
    return this.quirks.get(scope.split("|")[0] ?? "");
  }

  constructor(private readonly now: () => number) {}

  /**
   * Starts or continues a round. `scope` identifies the collection (tenant + resource + window);
   * `removed` renders a removed item for this collection.
   */
  page(options: {
    scope: string;
    epoch: number;
    skipToken: string | null;
    deltaToken: string | null;
    pageSize: number;
    current: () => DeltaItem[];
    removed: (id: string) => Record<string, unknown>;
    expiredCode?: { status: number; code: string };
  }): { value: Record<string, unknown>[]; nextSkipToken: string | null; deltaToken: string | null } {
    const expired = options.expiredCode ?? { status: 410, code: "syncStateNotFound" };
    if (options.skipToken) {
      const [roundId, offsetText] = options.skipToken.split("~");
      const round = roundId ? this.rounds.get(roundId) : undefined;
      if (!round || round.scope !== options.scope || round.epoch !== options.epoch) {
        throw new GraphError(
          expired.status,
          expired.code,
          "The sync state generation is not found. Restart the sync without a token.",
        );
      }
      return this.slice(
        roundId ?? "",
        round,
        Number(offsetText ?? 0),
        round.pageSize,
        this.quirksFor(options.scope),
      );
    }
    if (options.deltaToken === "latest") {
      // `$deltatoken=latest`: no items, just a token for the current state (changes from now on).
      const versions = new Map(options.current().map((i) => [i.id, i.version] as const));
      return { value: [], nextSkipToken: null, deltaToken: this.remember(options, versions) };
    }
    let previous: SyncState | undefined;
    if (options.deltaToken) {
      previous = this.states.get(options.deltaToken);
      if (
        !previous ||
        previous.scope !== options.scope ||
        previous.epoch !== options.epoch ||
        this.now() - previous.createdAt > RETENTION_MS
      ) {
        throw new GraphError(
          expired.status,
          expired.code,
          "The delta token has expired or is not valid. Restart the sync without a token.",
        );
      }
    }
    const current = options.current();
    const versions = new Map<string, number>();
    const items: Record<string, unknown>[] = [];
    for (const item of current) {
      versions.set(item.id, item.version);
      if (!previous || previous.versions.get(item.id) !== item.version) items.push(item.render());
    }
    if (previous) {
      for (const id of previous.versions.keys()) if (!versions.has(id)) items.push(options.removed(id));
    }
    const deltaToken = this.remember(options, versions);
    const roundId = randomUUID().replace(/-/g, "");
    const round: PendingRound = {
      scope: options.scope,
      epoch: options.epoch,
      items,
      deltaToken,
      pageSize: options.pageSize,
      createdAt: this.now(),
    };
    this.rounds.set(roundId, round);
    this.prune();
    if (this.quirksFor(options.scope)?.emptyPages)
      return { value: [], nextSkipToken: `${roundId}~0`, deltaToken: null };
    return this.slice(roundId, round, 0, options.pageSize, this.quirksFor(options.scope));
  }

  private slice(
    roundId: string,
    round: PendingRound,
    offset: number,
    pageSize: number,
    quirks: DeltaQuirks | undefined,
  ) {
    const start = quirks?.duplicates && offset > 0 ? offset - 1 : offset;
    const value = round.items.slice(start, offset + pageSize);
    const end = offset + pageSize >= round.items.length;
    if (end) this.rounds.delete(roundId);
    return {
      value,
      nextSkipToken: end ? null : `${roundId}~${offset + pageSize}`,
      deltaToken: end ? round.deltaToken : null,
    };
  }

  /** Keeps the versions a round ended with under a new delta token, and returns the token. */
  private remember(at: { scope: string; epoch: number }, versions: Map<string, number>): string {
    const deltaToken = randomUUID().replace(/-/g, "");
    this.states.set(deltaToken, { scope: at.scope, epoch: at.epoch, versions, createdAt: this.now() });
    return deltaToken;
  }

  /** Every sync state and unfinished round, to be saved with the emulator's state. */
  saved(): SavedDelta {
    return { states: [...this.states], rounds: [...this.rounds] };
  }

  /** Takes back what `saved()` gave: delta and next links handed out before a restart go on working. */
  restore(saved: SavedDelta): void {
    this.states = new Map(saved.states);
    this.rounds = new Map(saved.rounds);
    this.prune();
  }

  /** Forgets every sync state whose scope starts with `prefix` (the control API's "expire delta tokens"). */
  expire(prefix: string): number {
    let n = 0;
    for (const [k, s] of this.states) {
      if (s.scope.startsWith(prefix)) {
        this.states.delete(k);
        n++;
      }
    }
    return n;
  }

  private prune(): void {
    const now = this.now();
    for (const [k, s] of this.states) if (now - s.createdAt > RETENTION_MS) this.states.delete(k);
    for (const [k, r] of this.rounds) if (now - r.createdAt > RETENTION_MS) this.rounds.delete(k);
  }
}
