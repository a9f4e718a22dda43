/** Settings > Privacy & safety: the people one has blocked, with unblock. (Stub: issue #24 fills it.) */
import type { Session } from "../../models/session.ts";

export function PrivacySection(_props: { session: Session }) {
  return null;
}
