/**
 * A person's name as shown everywhere: their display name where they set one, else
 * their username (web/src/models/profiles.ts learns display names from the lists the
 * server sends). Where a display name shows, the username is in its tooltip.
 */
import { profiles } from "../../models/profiles.ts";

export interface PersonNameProps {
  userId: string;
  /** The username (or "deleted user") the caller already holds: shown until a display name is known. */
  fallback: string;
}

export function PersonName({ userId, fallback }: PersonNameProps) {
  const name = profiles.nameOf(userId, fallback);
  return name === fallback ? <>{name}</> : <span title={fallback}>{name}</span>;
}
