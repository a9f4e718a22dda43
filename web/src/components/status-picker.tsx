/** The user's own presence: what others see of them, chosen here (the user panel shows it under their name). */
import { PRESENCE_STATUSES, type PresenceStatus } from "../../../protocol/index.ts";
import type { AccountEvents } from "../models/account-events.ts";

const LABELS: Record<PresenceStatus, string> = {
  online: "Online",
  idle: "Idle",
  dnd: "Do not disturb",
  invisible: "Invisible",
};

export function StatusPicker({ events }: { events: AccountEvents }) {
  const status = events.status.value;
  return (
    <span class="status-picker">
      <label for="status-picker" class="visually-hidden">
        Your status
      </label>
      <select
        id="status-picker"
        value={status}
        onChange={(event) => events.setStatus(event.currentTarget.value as PresenceStatus)}
      >
        {PRESENCE_STATUSES.map((choice) => (
          <option key={choice} value={choice}>
            {events.isConnected.value || choice !== status ? LABELS[choice] : `${LABELS[choice]} (offline)`}
          </option>
        ))}
      </select>
    </span>
  );
}
