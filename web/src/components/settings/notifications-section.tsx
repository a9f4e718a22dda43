/**
 * Settings > Notifications: what tells the person of new messages today. Desktop and
 * push notifications, sounds and per-channel settings come with their own issue
 * (#23); this section is their place, with no control that does nothing yet.
 */
export function NotificationsSection() {
  return (
    <section class="card" aria-labelledby="notifications-today-heading">
      <h2 id="notifications-today-heading">What tells you of new messages today</h2>
      <ul class="notifications-list">
        <li>Unread channels and conversations are shown in bold in the sidebar, with a count.</li>
        <li>A red badge counts the messages that mention you, your roles, @here or @everyone.</li>
        <li>Your unread and mention counts are the same on every device you are signed in on.</li>
      </ul>
      <p class="hint">
        Desktop notifications, sounds, the tab title and notification settings per channel are coming. They will be set
        here.
      </p>
    </section>
  );
}
