CREATE TABLE "mls_welcome_recipients" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"device_id" uuid NOT NULL,
	"welcome_id" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "mls_welcomes" DROP CONSTRAINT "mls_welcomes_device_id_device_keys_session_id_fk";
--> statement-breakpoint
DROP INDEX "mls_welcomes_device_idx";--> statement-breakpoint
ALTER TABLE "mls_welcome_recipients" ADD CONSTRAINT "mls_welcome_recipients_device_id_device_keys_session_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."device_keys"("session_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mls_welcome_recipients" ADD CONSTRAINT "mls_welcome_recipients_welcome_id_mls_welcomes_id_fk" FOREIGN KEY ("welcome_id") REFERENCES "public"."mls_welcomes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "mls_welcome_recipients_device_idx" ON "mls_welcome_recipients" USING btree ("device_id","id");--> statement-breakpoint
CREATE INDEX "mls_welcomes_channel_idx" ON "mls_welcomes" USING btree ("channel_id","epoch");--> statement-breakpoint
ALTER TABLE "mls_welcomes" DROP COLUMN "device_id";