-- Channels made before communities existed were open to every signed-in account.
-- They move into one "Lobby" community that every existing account joins, owned by
-- the oldest active admin, so no message is lost or hidden by the upgrade.
-- Written by hand because drizzle-kit generates only schema changes (`--custom`).
DO $$
DECLARE
  lobby uuid;
  lobby_owner uuid;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM channels WHERE community_id IS NULL) THEN
    RETURN;
  END IF;
  SELECT id INTO lobby_owner FROM users WHERE is_admin AND deleted_at IS NULL ORDER BY created_at LIMIT 1;
  IF lobby_owner IS NULL THEN
    SELECT created_by INTO lobby_owner FROM channels WHERE community_id IS NULL ORDER BY created_at LIMIT 1;
  END IF;
  INSERT INTO communities (name, description, owner_id)
    VALUES ('Lobby', 'The channels from before communities', lobby_owner)
    RETURNING id INTO lobby;
  -- 57871: @everyone's default permissions (protocol/permissions.ts DEFAULT_EVERYONE_PERMISSIONS).
  INSERT INTO roles (community_id, name, position, permissions, is_everyone)
    VALUES (lobby, '@everyone', 0, 57871, true);
  INSERT INTO community_members (community_id, user_id)
    SELECT lobby, id FROM users WHERE deleted_at IS NULL;
  UPDATE channels SET community_id = lobby WHERE community_id IS NULL;
END $$;
