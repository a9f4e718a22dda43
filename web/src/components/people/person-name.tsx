/**
 * A person's name as shown everywhere: their display name where they set one, else
 * their username. CONTRACT STUB: the settings helper makes it resolve display names
 * (web/src/models/profiles.ts); the signature stays.
 */
export interface PersonNameProps {
  userId: string;
  /** The username (or "deleted user") the caller already holds: shown until a display name is known. */
  fallback: string;
}

export function PersonName({ fallback }: PersonNameProps) {
  return <>{fallback}</>;
}
