-- Channels that existed before the setting: DMs, group DMs and private channels (hidden
-- from @everyone, VIEW_CHANNEL = 1) show newcomers only what is said after they join.
UPDATE "channels" SET "newcomer_history" = 'from_join' WHERE "kind" IN ('dm', 'group_dm');--> statement-breakpoint
UPDATE "channels" c SET "newcomer_history" = 'from_join'
WHERE EXISTS (
  SELECT 1 FROM "channel_overrides" o JOIN "roles" r ON r."id" = o."role_id"
  WHERE o."channel_id" = c."id" AND r."is_everyone" AND (o."deny" & 1) = 1
);
