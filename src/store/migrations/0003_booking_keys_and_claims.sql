DROP INDEX "bookings_idempotency_idx";--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "claimed_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
CREATE INDEX "bookings_claims_idx" ON "bookings" USING btree ("claimed_at") WHERE "bookings"."status" = 'creating';--> statement-breakpoint
CREATE UNIQUE INDEX "bookings_idempotency_idx" ON "bookings" USING btree ("tenant_id","created_by_user_id","idempotency_key");