/**
 * Settings > Notifications: desktop notifications on this device (the browser's
 * permission, asking for it, a test), and the choices every device shares: sound,
 * hiding message text, direct messages, what Do Not Disturb lets through, and what is
 * muted, with unmuting. Levels per community, channel and conversation are set in
 * their menus.
 */
import { DND_ALLOWS, type DndAllows } from "../../../../protocol/notifications.ts";
import { notificationsInUse, type Notifications } from "../../models/notifications/notifications.ts";
import { sentence } from "../sentence.ts";
import { DesktopCard } from "../notifications/desktop-card.tsx";
import { MutedList } from "../notifications/muted-list.tsx";
import "../notifications/notifications.css";

const DND_WORDS: Record<DndAllows, string> = {
  nothing: "Nothing: silence everything",
  dms: "Direct messages",
  dms_and_mentions: "Direct messages and mentions",
};

export function NotificationsSection() {
  const notifications = notificationsInUse.value;
  if (!notifications) return null;
  return (
    <>
      <DesktopCard notifications={notifications} />
      <SharedChoices notifications={notifications} />
      <MutedList notifications={notifications} />
    </>
  );
}

function SharedChoices({ notifications }: { notifications: Notifications }) {
  const { settings } = notifications;
  const preferences = settings.preferences.value;
  const error = settings.error.value;
  return (
    <>
      <section class="card" aria-labelledby="notification-choices-heading">
        <h2 id="notification-choices-heading">On every device</h2>
        <p class="hint">These follow you to every device you are signed in on.</p>
        <label class="notification-setting">
          <input
            type="checkbox"
            checked={preferences.sound}
            onChange={(event) => void settings.setPreferences({ sound: event.currentTarget.checked })}
          />
          <span>Play a sound for new notifications</span>
        </label>
        <label class="notification-setting">
          <input
            type="checkbox"
            checked={preferences.directMessages}
            onChange={(event) => void settings.setPreferences({ directMessages: event.currentTarget.checked })}
          />
          <span>Notify me of direct and group messages</span>
        </label>
        <label class="notification-setting">
          <input
            type="checkbox"
            checked={preferences.hideContent}
            aria-describedby="hide-content-hint"
            onChange={(event) => void settings.setPreferences({ hideContent: event.currentTarget.checked })}
          />
          <span>
            Hide message text in notifications
            <span id="hide-content-hint" class="hint">
              {" "}
              They say “New message from alice” instead: for a screen others can see.
            </span>
          </span>
        </label>
        {error && (
          <p class="error" role="alert">
            {sentence(error)}
          </p>
        )}
      </section>
      <section class="card" aria-labelledby="dnd-heading">
        <h2 id="dnd-heading">Do Not Disturb</h2>
        <p class="hint" id="dnd-hint">
          While your status is Do Not Disturb, notifications and sounds are silenced, except for:
        </p>
        <div class="choice-list" role="radiogroup" aria-labelledby="dnd-heading" aria-describedby="dnd-hint">
          {DND_ALLOWS.map((choice) => (
            <label key={choice} class="density-choice">
              <input
                type="radio"
                name="dnd-allows"
                value={choice}
                checked={preferences.dndAllows === choice}
                onChange={() => void settings.setPreferences({ dndAllows: choice })}
              />
              <span>{DND_WORDS[choice]}</span>
            </label>
          ))}
        </div>
      </section>
    </>
  );
}
