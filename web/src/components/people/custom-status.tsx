/**
 * A person's custom status (emoji and text) as a short line under or beside their
 * name, as in Discord's member list; nothing when they have none or it expired.
 */
import { profiles } from "../../models/profiles.ts";
import "./people.css";

export function CustomStatus({ userId }: { userId: string }) {
  const status = profiles.statusOf(userId);
  if (!status) return null;
  return (
    <span class="custom-status" title={status.text}>
      {status.emoji && <span aria-hidden="true">{status.emoji} </span>}
      <span class="custom-status-text">{status.text}</span>
    </span>
  );
}
