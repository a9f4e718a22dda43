CREATE TABLE "key_backup_versions" (
	"user_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"backup" "bytea" NOT NULL,
	"passphrase_wrap" "bytea",
	"key_id" text,
	"written_by" uuid,
	"updated_at" timestamp with time zone NOT NULL,
	"superseded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "key_backup_versions_user_id_version_pk" PRIMARY KEY("user_id","version")
);
--> statement-breakpoint
ALTER TABLE "key_backups" ADD COLUMN "key_id" text;--> statement-breakpoint
ALTER TABLE "key_backups" ADD COLUMN "written_by" uuid;--> statement-breakpoint
ALTER TABLE "key_backup_versions" ADD CONSTRAINT "key_backup_versions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;