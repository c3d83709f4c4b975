CREATE TABLE "sync_conflicts" (
	"tenant_id" text NOT NULL,
	"user_id" text NOT NULL,
	"resource" text NOT NULL,
	"conflict_id" bigserial NOT NULL,
	"dedupe_key" text NOT NULL,
	"mapping_id" text,
	"at" timestamp with time zone NOT NULL,
	"record" jsonb NOT NULL,
	CONSTRAINT "sync_conflicts_tenant_id_user_id_resource_conflict_id_pk" PRIMARY KEY("tenant_id","user_id","resource","conflict_id")
);
--> statement-breakpoint
CREATE TABLE "sync_mappings" (
	"tenant_id" text NOT NULL,
	"user_id" text NOT NULL,
	"resource" text NOT NULL,
	"mapping_id" text NOT NULL,
	"local_id" text NOT NULL,
	"remote_id" text,
	"transaction_id" text,
	"local_version" text,
	"remote_change_key" text,
	"remote_container_id" text,
	"parent_id" text,
	"snapshot" jsonb,
	"synced_at" timestamp with time zone NOT NULL,
	"seen_in_pass" text,
	"revision" integer NOT NULL,
	CONSTRAINT "sync_mappings_tenant_id_user_id_resource_mapping_id_pk" PRIMARY KEY("tenant_id","user_id","resource","mapping_id")
);
--> statement-breakpoint
CREATE TABLE "sync_scopes" (
	"tenant_id" text NOT NULL,
	"user_id" text NOT NULL,
	"resource" text NOT NULL,
	"status" text NOT NULL,
	"subscription_id" text,
	"retry_at" timestamp with time zone,
	"state" jsonb NOT NULL,
	"revision" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sync_scopes_tenant_id_user_id_resource_pk" PRIMARY KEY("tenant_id","user_id","resource")
);
--> statement-breakpoint
CREATE TABLE "sync_tenant_settings" (
	"tenant_id" text PRIMARY KEY NOT NULL,
	"settings" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sync_tombstones" (
	"tenant_id" text NOT NULL,
	"user_id" text NOT NULL,
	"resource" text NOT NULL,
	"tombstone_id" bigserial NOT NULL,
	"local_id" text,
	"remote_id" text,
	"local_version" text,
	"deleted_in" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"snapshot" jsonb,
	CONSTRAINT "sync_tombstones_tenant_id_user_id_resource_tombstone_id_pk" PRIMARY KEY("tenant_id","user_id","resource","tombstone_id")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "sync_conflicts_dedupe_idx" ON "sync_conflicts" USING btree ("tenant_id","user_id","resource","dedupe_key");--> statement-breakpoint
CREATE UNIQUE INDEX "sync_mappings_local_idx" ON "sync_mappings" USING btree ("tenant_id","user_id","resource","local_id");--> statement-breakpoint
CREATE UNIQUE INDEX "sync_mappings_remote_idx" ON "sync_mappings" USING btree ("tenant_id","user_id","resource","remote_id");--> statement-breakpoint
CREATE UNIQUE INDEX "sync_mappings_transaction_idx" ON "sync_mappings" USING btree ("tenant_id","user_id","resource","transaction_id");--> statement-breakpoint
CREATE INDEX "sync_mappings_container_idx" ON "sync_mappings" USING btree ("tenant_id","user_id","resource","remote_container_id");--> statement-breakpoint
CREATE INDEX "sync_scopes_subscription_idx" ON "sync_scopes" USING btree ("subscription_id");--> statement-breakpoint
CREATE INDEX "sync_scopes_status_idx" ON "sync_scopes" USING btree ("tenant_id","status");--> statement-breakpoint
CREATE INDEX "sync_tombstones_remote_idx" ON "sync_tombstones" USING btree ("tenant_id","user_id","resource","remote_id");--> statement-breakpoint
CREATE INDEX "sync_tombstones_local_idx" ON "sync_tombstones" USING btree ("tenant_id","user_id","resource","local_id");--> statement-breakpoint
CREATE INDEX "sync_tombstones_at_idx" ON "sync_tombstones" USING btree ("at");