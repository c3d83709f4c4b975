/**
 * The booking services' view of the tenant from the database: people (the `members` directory and their
 * seats) and the tenant's availability policy (`tenants.settings.availability`, defaults when unset).
 */
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { type AvailabilityPolicy, defaultAvailabilityPolicy } from "../core/availability/model.ts";
import type { People, Person, Policies } from "../core/booking/ports.ts";
import { DomainError } from "../core/errors.ts";
import type { Database } from "./db.ts";
import { activeMemberByAddress } from "./members.ts";
import { auditLog, seatAssignments, tenants } from "./schema.ts";

const dailyHours = z.object({
  daysOfWeek: z.array(z.number().int().min(0).max(6)).min(1),
  startMinute: z.number().int().min(0).max(1439),
  endMinute: z.number().int().min(1).max(1440),
});

/** `tenants.settings.availability`; every field optional, defaults from the core policy. */
export const availabilitySettings = z.object({
  tentativeIsBusy: z.boolean().optional(),
  outOfOfficeIsBusy: z.boolean().optional(),
  workingElsewhereIsBusy: z.boolean().optional(),
  businessHours: dailyHours.nullable().optional(),
});

export class DrizzlePeople implements People {
  constructor(private readonly database: Database) {}

  async find(tenantId: string, address: string): Promise<Person | null> {
    const row = await activeMemberByAddress(this.database.db, tenantId, address);
    return row ? { userId: row.userId, email: row.mail ?? row.upn, displayName: row.displayName } : null;
  }

  async hasSeat(tenantId: string, userId: string, kind: "sync" | "calling"): Promise<boolean> {
    const [row] = await this.database.db
      .select({ userId: seatAssignments.userId })
      .from(seatAssignments)
      .where(
        and(
          eq(seatAssignments.tenantId, tenantId),
          eq(seatAssignments.userId, userId),
          eq(seatAssignments.kind, kind),
          eq(seatAssignments.state, "active"),
        ),
      )
      .limit(1);
    return row !== undefined;
  }
}

export class DrizzlePolicies implements Policies {
  constructor(private readonly database: Database) {}

  /** Replaces the tenant's availability settings and records who changed what in the audit log. */
  async setAvailabilityPolicy(
    tenantId: string,
    settings: z.infer<typeof availabilitySettings>,
    actorUserId: string,
  ): Promise<AvailabilityPolicy> {
    const parsed = availabilitySettings.parse(settings);
    await this.database.db.transaction(async (tx) => {
      const [row] = await tx
        .select({ settings: tenants.settings })
        .from(tenants)
        .where(eq(tenants.tenantId, tenantId))
        .for("update");
      if (!row) throw new DomainError("NOT_FOUND", "The organization is not known to Quorum.");
      const current = (row.settings ?? {}) as Record<string, unknown>;
      await tx
        .update(tenants)
        .set({ settings: { ...current, availability: parsed }, updatedAt: new Date() })
        .where(eq(tenants.tenantId, tenantId));
      await tx.insert(auditLog).values({
        tenantId,
        actorUserId,
        action: "availability.policy_changed",
        targetType: "tenant",
        targetId: tenantId,
        before: (current.availability as object | undefined) ?? null,
        after: parsed,
      });
    });
    return this.availabilityPolicy(tenantId);
  }

  async availabilityPolicy(tenantId: string): Promise<AvailabilityPolicy> {
    const [row] = await this.database.db
      .select({ settings: tenants.settings })
      .from(tenants)
      .where(eq(tenants.tenantId, tenantId));
    const raw = (row?.settings as { availability?: unknown } | undefined)?.availability;
    if (raw === undefined) return defaultAvailabilityPolicy;
    const parsed = availabilitySettings.safeParse(raw);
    if (!parsed.success) {
      // Stored settings are the tenant's, not the caller's: a bad value is our failure, not a 400.
      throw new DomainError(
        "INTERNAL",
        `The organization's availability settings are invalid: ${parsed.error.issues
          .map((i) => `${i.path.join(".")}: ${i.message}`)
          .join("; ")}`,
        { cause: parsed.error },
      );
    }
    const s = parsed.data;
    return {
      tentativeIsBusy: s.tentativeIsBusy ?? defaultAvailabilityPolicy.tentativeIsBusy,
      outOfOfficeIsBusy: s.outOfOfficeIsBusy ?? defaultAvailabilityPolicy.outOfOfficeIsBusy,
      workingElsewhereIsBusy: s.workingElsewhereIsBusy ?? defaultAvailabilityPolicy.workingElsewhereIsBusy,
      businessHours:
        s.businessHours === undefined ? defaultAvailabilityPolicy.businessHours : s.businessHours,
    };
  }
}
