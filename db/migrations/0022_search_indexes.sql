CREATE INDEX "messages_channel_sent_idx" ON "messages" USING btree ("channel_id","sent_at","seq");--> statement-breakpoint
CREATE INDEX "messages_sender_sent_idx" ON "messages" USING btree ("sender_id","sent_at");--> statement-breakpoint
CREATE INDEX "messages_mentioned_users_idx" ON "messages" USING gin ("mentioned_user_ids");