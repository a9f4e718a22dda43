/** Announcements from the admins to every user: posting one, the ones in force, taking one down. */
import { FormError } from "../../../src/components/form-error.tsx";
import { dateTimeInWords } from "../../../src/components/time-words.ts";
import type { Announcements } from "../models/announcements-model.ts";
import { LIFETIMES } from "./admin-words.ts";
import { ConfirmChange } from "./confirm-change.tsx";
import { StatusMessage } from "./status-message.tsx";

const DEFAULT_LIFETIME_HOURS = "168";

export function AnnouncementsPanel({ announcements }: { announcements: Announcements }) {
  const { posting, removing } = announcements;
  const pending = announcements.confirmingRemove.value;
  const onSubmit = async (event: SubmitEvent) => {
    event.preventDefault();
    const element = event.currentTarget as HTMLFormElement;
    const form = new FormData(element);
    // Only the text is cleared: the lifetime chosen stays for the next one.
    const body = element.elements.namedItem("body") as HTMLTextAreaElement;
    if (await announcements.post(body.value, String(form.get("expires") ?? ""))) body.value = "";
  };
  return (
    <section aria-labelledby="announcements-heading">
      <h2 id="announcements-heading">Announcements</h2>
      <StatusMessage text={announcements.notice.value} />
      <form class="stack" onSubmit={onSubmit} noValidate>
        <label for="announcement-body">New announcement to everyone</label>
        <textarea id="announcement-body" name="body" rows={3} maxLength={2000} />
        <div class="field">
          <label for="announcement-expires">Take it down after</label>
          <select id="announcement-expires" name="expires">
            {LIFETIMES.map(({ hours, label }) => (
              <option key={hours} value={hours} selected={hours === DEFAULT_LIFETIME_HOURS}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <FormError id="announcement-error" error={posting.error.value} />
        <div class="button-row">
          <button type="submit" class="primary" disabled={posting.isBusy.value}>
            Post announcement
          </button>
        </div>
      </form>
      <FormError id="announcements-load-error" error={announcements.loading.error.value} />
      {announcements.announcements.value.length === 0 ? (
        <p>No announcement is up.</p>
      ) : (
        <ul class="plain-list" aria-label="Announcements up now">
          {announcements.announcements.value.map((announcement) => (
            <li key={announcement.id} class="announcement">
              <p>{announcement.body}</p>
              <p class="secondary">
                Posted {dateTimeInWords(announcement.createdAt)},{" "}
                {announcement.expiresAt ? `until ${dateTimeInWords(announcement.expiresAt)}` : "with no end"}
              </p>
              {pending === announcement.id ? (
                <ConfirmChange
                  id="remove-announcement"
                  question="Take this announcement down?"
                  consequence="Nobody sees it any more. To show it again, post it again."
                  confirmLabel="Take it down"
                  isBusy={removing.isBusy.value}
                  onConfirm={() => void announcements.remove(announcement.id)}
                  onCancel={() => announcements.cancelRemove()}
                />
              ) : (
                <button type="button" class="small" onClick={() => announcements.askRemove(announcement.id)}>
                  Take down…
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <FormError id="remove-announcement-error" error={removing.error.value} />
    </section>
  );
}
