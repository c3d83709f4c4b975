DROP INDEX "bookings_idempotency_idx";--> statement-breakpoint
CREATE UNIQUE INDEX "bookings_idempotency_idx" ON "bookings" USING btree ("tenant_id","created_by_user_id","idempotency_key");