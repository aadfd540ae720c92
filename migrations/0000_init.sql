CREATE TABLE "source_runs" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "source_runs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"source_id" bigint NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"status" text DEFAULT 'running' NOT NULL,
	"fetched" integer DEFAULT 0 NOT NULL,
	"inserted" integer DEFAULT 0 NOT NULL,
	"duplicates" integer DEFAULT 0 NOT NULL,
	"filtered" integer DEFAULT 0 NOT NULL,
	"failed" integer DEFAULT 0 NOT NULL,
	"cursor_after" jsonb,
	"gap" jsonb,
	"error" text
);
--> statement-breakpoint
CREATE TABLE "sources" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "sources_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"config" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"interval_seconds" integer,
	"enabled" boolean DEFAULT true NOT NULL,
	"cursor" jsonb,
	"health_status" text DEFAULT 'never_run' NOT NULL,
	"last_error" text,
	"last_run_at" timestamp with time zone,
	"consecutive_failures" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "posts" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "posts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"source_id" bigint NOT NULL,
	"external_id" text NOT NULL,
	"url" text,
	"author_pseudonym" text,
	"text" text,
	"lang" text,
	"published_at" timestamp with time zone,
	"collected_at" timestamp with time zone DEFAULT now() NOT NULL,
	"content_hash" text NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "classifications" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "classifications_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"post_id" bigint NOT NULL,
	"model_version" text NOT NULL,
	"complaint" boolean NOT NULL,
	"complaint_p" real NOT NULL,
	"police_related" boolean NOT NULL,
	"police_related_p" real NOT NULL,
	"grievance" boolean NOT NULL,
	"grievance_p" real NOT NULL,
	"category" text,
	"category_p" real,
	"lodged" text,
	"lodged_p" real,
	"perspective" text,
	"perspective_p" real,
	"severity" text,
	"severity_p" real,
	"unit" text NOT NULL,
	"unit_p" real NOT NULL,
	"distributions" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "signals" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "signals_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"post_id" bigint NOT NULL,
	"classification_id" bigint NOT NULL,
	"model_version" text NOT NULL,
	"grievance_p" real NOT NULL,
	"category" text,
	"lodged" text,
	"severity" text,
	"unit" text NOT NULL,
	"state" text DEFAULT 'new' NOT NULL,
	"reviewed_category" text,
	"review_note" text,
	"reviewed_by" text,
	"reviewed_at" timestamp with time zone,
	"published_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "formal_complaints" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "formal_complaints_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"external_ref" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"category" text NOT NULL,
	"unit" text NOT NULL,
	"channel" text,
	"status" text,
	"outcome" text,
	"import_batch" text,
	"extra" jsonb,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "api_tokens" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "api_tokens_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"role" text NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "audit_log_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"target_type" text,
	"target_id" text,
	"details" jsonb
);
--> statement-breakpoint
ALTER TABLE "source_runs" ADD CONSTRAINT "source_runs_source_id_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."sources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "posts" ADD CONSTRAINT "posts_source_id_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."sources"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "classifications" ADD CONSTRAINT "classifications_post_id_posts_id_fk" FOREIGN KEY ("post_id") REFERENCES "public"."posts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signals" ADD CONSTRAINT "signals_post_id_posts_id_fk" FOREIGN KEY ("post_id") REFERENCES "public"."posts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signals" ADD CONSTRAINT "signals_classification_id_classifications_id_fk" FOREIGN KEY ("classification_id") REFERENCES "public"."classifications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "source_runs_source_started_idx" ON "source_runs" USING btree ("source_id","started_at" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "sources_name_uq" ON "sources" USING btree ("name");--> statement-breakpoint
CREATE UNIQUE INDEX "posts_source_external_uq" ON "posts" USING btree ("source_id","external_id");--> statement-breakpoint
CREATE INDEX "posts_collected_idx" ON "posts" USING btree ("collected_at");--> statement-breakpoint
CREATE INDEX "posts_content_hash_idx" ON "posts" USING btree ("content_hash");--> statement-breakpoint
CREATE INDEX "posts_author_idx" ON "posts" USING btree ("author_pseudonym");--> statement-breakpoint
CREATE UNIQUE INDEX "classifications_post_model_uq" ON "classifications" USING btree ("post_id","model_version");--> statement-breakpoint
CREATE INDEX "classifications_model_idx" ON "classifications" USING btree ("model_version");--> statement-breakpoint
CREATE UNIQUE INDEX "signals_post_uq" ON "signals" USING btree ("post_id");--> statement-breakpoint
CREATE INDEX "signals_state_id_idx" ON "signals" USING btree ("state","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "signals_category_id_idx" ON "signals" USING btree ("category","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "signals_unit_id_idx" ON "signals" USING btree ("unit","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "signals_created_idx" ON "signals" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "formal_complaints_ref_uq" ON "formal_complaints" USING btree ("external_ref");--> statement-breakpoint
CREATE INDEX "formal_complaints_received_idx" ON "formal_complaints" USING btree ("received_at");--> statement-breakpoint
CREATE INDEX "formal_complaints_category_unit_idx" ON "formal_complaints" USING btree ("category","unit");--> statement-breakpoint
CREATE UNIQUE INDEX "api_tokens_hash_uq" ON "api_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "audit_log_at_idx" ON "audit_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "audit_log_target_idx" ON "audit_log" USING btree ("target_type","target_id");