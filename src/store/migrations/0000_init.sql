CREATE TABLE "audit_log" (
	"tenant_id" text NOT NULL,
	"audit_id" bigserial NOT NULL,
	"actor_user_id" text,
	"action" text NOT NULL,
	"target_type" text,
	"target_id" text,
	"before" jsonb,
	"after" jsonb,
	"reason" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "audit_log_tenant_id_audit_id_pk" PRIMARY KEY("tenant_id","audit_id")
);
--> statement-breakpoint
CREATE TABLE "booking_history" (
	"tenant_id" text NOT NULL,
	"booking_id" text NOT NULL,
	"seq" integer NOT NULL,
	"action" text NOT NULL,
	"actor_user_id" text,
	"before" jsonb,
	"after" jsonb,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "booking_history_tenant_id_booking_id_seq_pk" PRIMARY KEY("tenant_id","booking_id","seq")
);
--> statement-breakpoint
CREATE TABLE "bookings" (
	"tenant_id" text NOT NULL,
	"booking_id" text NOT NULL,
	"idempotency_key" text NOT NULL,
	"request_hash" text NOT NULL,
	"organizer_user_id" text NOT NULL,
	"created_by_user_id" text NOT NULL,
	"subject" text DEFAULT '' NOT NULL,
	"body" text,
	"attendees" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"room" jsonb,
	"location" text,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"time_zone" text NOT NULL,
	"reminder_minutes" integer,
	"is_online_meeting" boolean DEFAULT true NOT NULL,
	"status" text DEFAULT 'creating' NOT NULL,
	"transaction_id" text NOT NULL,
	"graph_event_id" text,
	"ical_uid" text,
	"join_url" text,
	"web_link" text,
	"version" integer DEFAULT 1 NOT NULL,
	"external_id" text,
	"change_key" text,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"remote_changed_at" timestamp with time zone,
	"last_synced_at" timestamp with time zone,
	"deleted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bookings_tenant_id_booking_id_pk" PRIMARY KEY("tenant_id","booking_id")
);
--> statement-breakpoint
CREATE TABLE "consent_states" (
	"tenant_id" text NOT NULL,
	"state_id" text NOT NULL,
	"user_id" text NOT NULL,
	"upn" text NOT NULL,
	"display_name" text,
	"return_to" text,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "consent_states_tenant_id_state_id_pk" PRIMARY KEY("tenant_id","state_id")
);
--> statement-breakpoint
CREATE TABLE "contacts" (
	"tenant_id" text NOT NULL,
	"contact_id" text NOT NULL,
	"owner_user_id" text NOT NULL,
	"display_name" text DEFAULT '' NOT NULL,
	"email" text,
	"phone" text,
	"company" text,
	"job_title" text,
	"notes" text,
	"external_id" text,
	"change_key" text,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"remote_changed_at" timestamp with time zone,
	"last_synced_at" timestamp with time zone,
	"deleted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "contacts_tenant_id_contact_id_pk" PRIMARY KEY("tenant_id","contact_id")
);
--> statement-breakpoint
CREATE TABLE "conversation_refs" (
	"tenant_id" text NOT NULL,
	"user_id" text NOT NULL,
	"conversation_id" text NOT NULL,
	"service_url" text NOT NULL,
	"reference" jsonb NOT NULL,
	"locale" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "conversation_refs_tenant_id_user_id_pk" PRIMARY KEY("tenant_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "group_members" (
	"tenant_id" text NOT NULL,
	"group_id" text NOT NULL,
	"user_id" text NOT NULL,
	CONSTRAINT "group_members_tenant_id_group_id_user_id_pk" PRIMARY KEY("tenant_id","group_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "groups" (
	"tenant_id" text NOT NULL,
	"group_id" text NOT NULL,
	"display_name" text DEFAULT '' NOT NULL,
	"mail" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "groups_tenant_id_group_id_pk" PRIMARY KEY("tenant_id","group_id")
);
--> statement-breakpoint
CREATE TABLE "invitations" (
	"tenant_id" text NOT NULL,
	"invitation_id" text NOT NULL,
	"user_id" text NOT NULL,
	"role" text DEFAULT 'member' NOT NULL,
	"seat_kinds" text[] DEFAULT '{}'::text[] NOT NULL,
	"invited_by" text NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"notified_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"responded_at" timestamp with time zone,
	CONSTRAINT "invitations_tenant_id_invitation_id_pk" PRIMARY KEY("tenant_id","invitation_id")
);
--> statement-breakpoint
CREATE TABLE "join_requests" (
	"tenant_id" text NOT NULL,
	"request_id" text NOT NULL,
	"user_id" text NOT NULL,
	"seat_kinds" text[] DEFAULT '{}'::text[] NOT NULL,
	"message" text,
	"state" text DEFAULT 'pending' NOT NULL,
	"decided_by" text,
	"reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_at" timestamp with time zone,
	CONSTRAINT "join_requests_tenant_id_request_id_pk" PRIMARY KEY("tenant_id","request_id")
);
--> statement-breakpoint
CREATE TABLE "members" (
	"tenant_id" text NOT NULL,
	"user_id" text NOT NULL,
	"upn" text NOT NULL,
	"display_name" text DEFAULT '' NOT NULL,
	"mail" text,
	"proxy_addresses" text[] DEFAULT '{}'::text[] NOT NULL,
	"account_enabled" boolean DEFAULT true NOT NULL,
	"department" text,
	"job_title" text,
	"usage_location" text,
	"deleted_at" timestamp with time zone,
	"roles" text[] DEFAULT '{member}'::text[] NOT NULL,
	"locale" text,
	"time_zone" text,
	"sync_enabled" boolean DEFAULT true NOT NULL,
	"directory_order" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "members_tenant_id_user_id_pk" PRIMARY KEY("tenant_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "phone_numbers" (
	"tenant_id" text NOT NULL,
	"number" text NOT NULL,
	"number_type" text DEFAULT 'callingPlan' NOT NULL,
	"assigned_user_id" text,
	"state" text DEFAULT 'free' NOT NULL,
	"operation_id" text,
	"last_error" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "phone_numbers_tenant_id_number_pk" PRIMARY KEY("tenant_id","number")
);
--> statement-breakpoint
CREATE TABLE "plan_rows" (
	"tenant_id" text NOT NULL,
	"plan_id" text NOT NULL,
	"line" integer NOT NULL,
	"email" text,
	"user_id" text,
	"kind" text,
	"action" text NOT NULL,
	"reason" text NOT NULL,
	"phone_number" text,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	CONSTRAINT "plan_rows_tenant_id_plan_id_line_pk" PRIMARY KEY("tenant_id","plan_id","line")
);
--> statement-breakpoint
CREATE TABLE "plans" (
	"tenant_id" text NOT NULL,
	"plan_id" text NOT NULL,
	"source" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"summary" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"base_version" bigint NOT NULL,
	"undoes_plan_id" text,
	"undone_by_plan_id" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"committed_by" text,
	"committed_at" timestamp with time zone,
	CONSTRAINT "plans_tenant_id_plan_id_pk" PRIMARY KEY("tenant_id","plan_id")
);
--> statement-breakpoint
CREATE TABLE "seat_assignments" (
	"tenant_id" text NOT NULL,
	"kind" text NOT NULL,
	"user_id" text NOT NULL,
	"phone_number" text,
	"state" text DEFAULT 'active' NOT NULL,
	"source" text DEFAULT 'manual' NOT NULL,
	"rule_id" text,
	"operation_id" text,
	"last_error_code" text,
	"last_error_message" text,
	"assigned_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "seat_assignments_tenant_id_kind_user_id_pk" PRIMARY KEY("tenant_id","kind","user_id")
);
--> statement-breakpoint
CREATE TABLE "seat_pools" (
	"tenant_id" text NOT NULL,
	"kind" text NOT NULL,
	"total" integer DEFAULT 0 NOT NULL,
	"used" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "seat_pools_tenant_id_kind_pk" PRIMARY KEY("tenant_id","kind"),
	CONSTRAINT "seat_pools_used_within_total" CHECK ("seat_pools"."used" >= 0 AND "seat_pools"."used" <= "seat_pools"."total")
);
--> statement-breakpoint
CREATE TABLE "seat_rules" (
	"tenant_id" text NOT NULL,
	"rule_id" text NOT NULL,
	"group_id" text NOT NULL,
	"kind" text NOT NULL,
	"priority" integer DEFAULT 0 NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "seat_rules_tenant_id_rule_id_pk" PRIMARY KEY("tenant_id","rule_id")
);
--> statement-breakpoint
CREATE TABLE "sync_settings" (
	"tenant_id" text PRIMARY KEY NOT NULL,
	"calendar" boolean DEFAULT true NOT NULL,
	"contacts" boolean DEFAULT false NOT NULL,
	"tasks" boolean DEFAULT false NOT NULL,
	"direction" text DEFAULT 'two_way' NOT NULL,
	"conflict_policy" text DEFAULT 'newest_wins' NOT NULL,
	"updated_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sync_state" (
	"tenant_id" text NOT NULL,
	"user_id" text NOT NULL,
	"resource" text NOT NULL,
	"container_id" text,
	"delta_link" text,
	"subscription_id" text,
	"subscription_expires_at" timestamp with time zone,
	"status" text DEFAULT 'idle' NOT NULL,
	"last_run_at" timestamp with time zone,
	"last_success_at" timestamp with time zone,
	"last_error_code" text,
	"last_error_message" text,
	"consecutive_failures" integer DEFAULT 0 NOT NULL,
	"counters" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sync_state_tenant_id_user_id_resource_pk" PRIMARY KEY("tenant_id","user_id","resource")
);
--> statement-breakpoint
CREATE TABLE "tasks" (
	"tenant_id" text NOT NULL,
	"task_id" text NOT NULL,
	"owner_user_id" text NOT NULL,
	"title" text NOT NULL,
	"notes" text,
	"due_at" timestamp with time zone,
	"status" text DEFAULT 'notStarted' NOT NULL,
	"booking_id" text,
	"external_id" text,
	"change_key" text,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"remote_changed_at" timestamp with time zone,
	"last_synced_at" timestamp with time zone,
	"deleted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tasks_tenant_id_task_id_pk" PRIMARY KEY("tenant_id","task_id")
);
--> statement-breakpoint
CREATE TABLE "tenants" (
	"tenant_id" text PRIMARY KEY NOT NULL,
	"display_name" text DEFAULT '' NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"consent_error_code" text,
	"consent_error_message" text,
	"owner_user_id" text,
	"consented_at" timestamp with time zone,
	"disconnected_at" timestamp with time zone,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"directory_delta_link" text,
	"directory_synced_at" timestamp with time zone,
	"seat_version" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "token_cache" (
	"tenant_id" text NOT NULL,
	"partition_key" text NOT NULL,
	"ciphertext" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "token_cache_tenant_id_partition_key_pk" PRIMARY KEY("tenant_id","partition_key")
);
--> statement-breakpoint
CREATE INDEX "audit_log_at_idx" ON "audit_log" USING btree ("tenant_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "bookings_idempotency_idx" ON "bookings" USING btree ("tenant_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "bookings_organizer_time_idx" ON "bookings" USING btree ("tenant_id","organizer_user_id","starts_at");--> statement-breakpoint
CREATE INDEX "bookings_external_idx" ON "bookings" USING btree ("tenant_id","external_id");--> statement-breakpoint
CREATE INDEX "contacts_owner_idx" ON "contacts" USING btree ("tenant_id","owner_user_id");--> statement-breakpoint
CREATE INDEX "contacts_external_idx" ON "contacts" USING btree ("tenant_id","external_id");--> statement-breakpoint
CREATE INDEX "members_mail_idx" ON "members" USING btree ("tenant_id",lower("mail"));--> statement-breakpoint
CREATE INDEX "members_upn_idx" ON "members" USING btree ("tenant_id",lower("upn"));--> statement-breakpoint
CREATE UNIQUE INDEX "phone_numbers_user_idx" ON "phone_numbers" USING btree ("tenant_id","assigned_user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "seat_rules_group_kind_idx" ON "seat_rules" USING btree ("tenant_id","group_id","kind");--> statement-breakpoint
CREATE UNIQUE INDEX "sync_state_subscription_idx" ON "sync_state" USING btree ("subscription_id");--> statement-breakpoint
CREATE INDEX "tasks_owner_idx" ON "tasks" USING btree ("tenant_id","owner_user_id");--> statement-breakpoint
CREATE INDEX "tasks_external_idx" ON "tasks" USING btree ("tenant_id","external_id");