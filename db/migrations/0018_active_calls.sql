CREATE TABLE "active_calls" (
	"channel_id" uuid PRIMARY KEY NOT NULL,
	"community_id" uuid,
	"call_id" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"started_by" uuid NOT NULL,
	"ringing" jsonb NOT NULL,
	"participants" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "active_calls" ADD CONSTRAINT "active_calls_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."channels"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "active_calls" ADD CONSTRAINT "active_calls_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "active_calls_community_idx" ON "active_calls" USING btree ("community_id");