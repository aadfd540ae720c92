ALTER TABLE "source_runs" ADD COLUMN "deleted" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "source_runs" ADD COLUMN "filtered_by" jsonb DEFAULT '{}'::jsonb NOT NULL;