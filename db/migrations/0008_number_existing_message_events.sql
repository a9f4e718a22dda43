-- Messages stored before the change counter existed: each one's creation was its last
-- change, so its event is its sequence number, and each channel's counter starts there.
-- Written by hand because drizzle-kit generates only schema changes (`--custom`).
UPDATE messages SET event = seq WHERE event = 0;--> statement-breakpoint
UPDATE channels SET last_event = last_seq WHERE last_event = 0;
