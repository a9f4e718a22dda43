/** The admins' announcements, above everything else, each with a button to hide it. */
import { useModel } from "@preact/signals";
import { AnnouncementsModel } from "../models/announcements.ts";
import type { Session } from "../models/session.ts";

export function AnnouncementsBanner({ session }: { session: Session }) {
  const announcements = useModel(() => new AnnouncementsModel(session));
  const shown = announcements.shown.value;
  if (shown.length === 0) return null;
  return (
    <section class="announcements" aria-label="Announcements">
      {shown.map((announcement) => (
        <p key={announcement.id} class="announcement" role="status">
          <span class="announcement-body">{announcement.body}</span>
          <button type="button" onClick={() => announcements.dismiss(announcement.id)}>
            Hide<span class="visually-hidden"> this announcement</span>
          </button>
        </p>
      ))}
    </section>
  );
}
