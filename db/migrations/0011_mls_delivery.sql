CREATE TABLE "mls_commits" (
	"channel_id" uuid NOT NULL,
	"epoch" bigint NOT NULL,
	"commit" "bytea" NOT NULL,
	"committer_device_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mls_groups" (
	"channel_id" uuid PRIMARY KEY NOT NULL,
	"epoch" bigint DEFAULT 0 NOT NULL,
	"group_info" "bytea" NOT NULL,
	"member_device_ids" uuid[] NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mls_welcomes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"device_id" uuid NOT NULL,
	"channel_id" uuid NOT NULL,
	"epoch" bigint NOT NULL,
	"welcome" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "mls_commits" ADD CONSTRAINT "mls_commits_channel_id_mls_groups_channel_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."mls_groups"("channel_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mls_groups" ADD CONSTRAINT "mls_groups_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."channels"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mls_welcomes" ADD CONSTRAINT "mls_welcomes_device_id_device_keys_session_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."device_keys"("session_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mls_welcomes" ADD CONSTRAINT "mls_welcomes_channel_id_mls_groups_channel_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."mls_groups"("channel_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "mls_commits_epoch_unique" ON "mls_commits" USING btree ("channel_id","epoch");--> statement-breakpoint
CREATE INDEX "mls_welcomes_device_idx" ON "mls_welcomes" USING btree ("device_id","id");