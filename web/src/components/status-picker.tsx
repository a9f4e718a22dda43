/** The user's own presence: what others see of them, chosen here. */
import { PRESENCE_STATUSES, type PresenceStatus } from "../../../protocol/index.ts";
import type { AccountEvents } from "../models/account-events.ts";
import { PresenceDot } from "./presence-dot.tsx";

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
      <PresenceDot
        status={events.isConnected.value ? (status === "invisible" ? "offline" : status) : "offline"}
        isDescribedElsewhere
      />
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
            {LABELS[choice]}
          </option>
        ))}
      </select>
    </span>
  );
}
