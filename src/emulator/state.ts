/**
 * Live emulator state: the tenants built from the recipe, lazily generated mailboxes, a version counter
 * (change keys), change listeners (subscriptions) and snapshots.
 */
import type { Clock } from "../core/clock.ts";
import type { EmUser, MailboxData, TenantState } from "./model.ts";
import { contosoRecipe, fabrikamRecipe } from "./seed.ts";
import { generateMailbox } from "./seed-mailbox.ts";
import { createTenantState, type TenantRecipe } from "./seed-tenant.ts";
import { startOfWeekUtc } from "./time.ts";

export type ChangeType = "created" | "updated" | "deleted";

export interface ChangeEvent {
  tenantId: string;
  /** Graph resource path of the item, e.g. `Users/{id}/Events/{eventId}`. */
  resource: string;
  collection: "events" | "contacts" | "tasks" | "users";
  mailboxId: string | null;
  /** For tasks: the list id; for contacts: the folder id. */
  containerId: string | null;
  itemId: string;
  changeType: ChangeType;
}

export interface StateOptions {
  seed: string;
  clock: Clock;
  usersPerTenant?: number;
  /** What an earlier run saved (store.ts): the demo week, the version counter and the tenants as they were. */
  restored?: SavedState;
}

/** The part of the state the emulator's store keeps between runs. */
export interface SavedState {
  /** Monday 00:00 UTC of the demo week the seed was generated around. */
  anchor: number;
  version: number;
  tenants: TenantState[];
}

export class EmulatorState {
  readonly tenants = new Map<string, TenantState>();
  private recipes = new Map<string, TenantRecipe>();
  private listeners: ((change: ChangeEvent) => void)[] = [];
  private snapshots = new Map<string, { tenants: Map<string, TenantState>; version: number }>();
  private version = 1000;
  private snapshotCounter = 0;
  anchor: number;

  constructor(private readonly options: StateOptions) {
    const restored = options.restored;
    this.anchor = restored?.anchor ?? startOfWeekUtc(options.clock.now());
    this.build();
    if (restored) {
      // The recipes (built around the saved demo week) generate the mailboxes nobody had opened yet.
      for (const tenant of restored.tenants) this.tenants.set(tenant.id, tenant);
      this.version = restored.version;
    }
  }

  /** What the store saves: the demo week, the version counter and every tenant with its opened mailboxes. */
  saved(): SavedState {
    return { anchor: this.anchor, version: this.version, tenants: [...this.tenants.values()] };
  }

  get clock(): Clock {
    return this.options.clock;
  }

  get seed(): string {
    return this.options.seed;
  }

  private build(): void {
    this.tenants.clear();
    this.recipes.clear();
    const recipeOptions = {
      seed: this.options.seed,
      anchor: this.anchor,
      ...(this.options.usersPerTenant !== undefined ? { usersPerTenant: this.options.usersPerTenant } : {}),
    };
    for (const recipe of [contosoRecipe(recipeOptions), fabrikamRecipe(recipeOptions)]) {
      this.recipes.set(recipe.id, recipe);
      this.tenants.set(recipe.id, createTenantState(recipe));
    }
  }

  /** Back to the seed around this week (consent revoked everywhere, mailboxes regenerated on access). */
  reset(): void {
    const epochs = new Map([...this.tenants].map(([id, t]) => [id, t.deltaEpoch]));
    this.anchor = startOfWeekUtc(this.options.clock.now());
    this.build();
    for (const [id, t] of this.tenants) t.deltaEpoch = (epochs.get(id) ?? 0) + 1;
  }

  tenantList(): TenantState[] {
    return [...this.tenants.values()];
  }

  tenant(id: string): TenantState | undefined {
    return this.tenants.get(id.toLowerCase());
  }

  recipe(id: string): TenantRecipe | undefined {
    return this.recipes.get(id);
  }

  /** Finds a user or room by id, UPN, mail or proxy address (case-insensitive). */
  findUser(tenant: TenantState, key: string): EmUser | undefined {
    const direct = tenant.users.get(key) ?? tenant.users.get(key.toLowerCase());
    if (direct) return direct;
    const id = tenant.byAddress.get(key.toLowerCase());
    return id ? tenant.users.get(id) : undefined;
  }

  /** The mailbox of a user or room, generated from the recipe on first access. */
  mailbox(tenant: TenantState, owner: EmUser): MailboxData {
    let box = tenant.mailboxes.get(owner.id);
    if (!box) {
      const recipe = this.recipes.get(tenant.id);
      if (!recipe) throw new Error(`no recipe for tenant ${tenant.id}`);
      box = generateMailbox(recipe, tenant, owner);
      tenant.mailboxes.set(owner.id, box);
    }
    return box;
  }

  nextVersion(): number {
    this.version += 1;
    return this.version;
  }

  onChange(listener: (change: ChangeEvent) => void): void {
    this.listeners.push(listener);
  }

  emit(change: ChangeEvent): void {
    for (const l of this.listeners) l(change);
  }

  snapshot(): string {
    this.snapshotCounter += 1;
    const id = `snap-${this.snapshotCounter}`;
    this.snapshots.set(id, { tenants: structuredClone(this.tenants), version: this.version });
    return id;
  }

  restore(id: string): boolean {
    const snap = this.snapshots.get(id);
    if (!snap) return false;
    this.tenants.clear();
    for (const [k, v] of structuredClone(snap.tenants)) {
      v.deltaEpoch += 1;
      this.tenants.set(k, v);
    }
    return true;
  }
}
