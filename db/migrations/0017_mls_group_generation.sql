ALTER TABLE "mls_groups" ADD COLUMN "generation" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "mls_groups" ADD COLUMN "refounded_at" timestamp with time zone;