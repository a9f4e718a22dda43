/**
 * Whether this channel is live, as a dot in the channel's header: its words show on
 * hover, and always while it is not connected; while it is not, sends wait and go
 * out on reconnect.
 */
import type { ConnectionStatus as Status } from "../models/channel-socket.ts";

const LABELS: Record<Status, string> = {
  connecting: "Connecting…",
  online: "Connected",
  reconnecting: "Reconnecting… messages will be sent once connected",
  closed: "Not connected",
};

export function ConnectionStatus({ status }: { status: Status }) {
  return (
    <p class={`connection-status is-${status}`} role="status" title={LABELS[status]}>
      <span class="status-dot" aria-hidden="true" />
      <span class="connection-words">{LABELS[status]}</span>
    </p>
  );
}
