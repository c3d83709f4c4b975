ALTER TABLE "tenants" ADD COLUMN "directory_round_error" text;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "directory_round_failed_at" timestamp with time zone;