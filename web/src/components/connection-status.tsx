/** Whether this channel is live; while it is not, sends wait and go out on reconnect. */
import type { ConnectionStatus as Status } from "../models/channel-socket.ts";

const LABELS: Record<Status, string> = {
  connecting: "Connecting…",
  online: "Connected",
  reconnecting: "Reconnecting… messages will be sent once connected",
  closed: "Not connected",
};

export function ConnectionStatus({ status }: { status: Status }) {
  return (
    <p class={`connection-status is-${status}`} role="status">
      <span class="status-dot" aria-hidden="true" />
      {LABELS[status]}
    </p>
  );
}
