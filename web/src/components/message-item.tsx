/** One message: who, when, what, and whether it has reached the server. */
import type { TimelineEntry } from "../models/timeline.ts";
import { sentence } from "./sentence.ts";

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });

export function MessageItem({ entry, onRetry }: { entry: TimelineEntry; onRetry: () => void }) {
  const classes = ["message", `is-${entry.state}`, entry.isOwn ? "is-own" : ""].join(" ").trim();
  return (
    <li class={classes}>
      <p class="message-meta">
        <span class="sender">{entry.senderName}</span>
        {entry.sentAt && <time dateTime={entry.sentAt}>{timeFormat.format(new Date(entry.sentAt))}</time>}
        {entry.state === "pending" && <span class="delivery">Sending…</span>}
      </p>
      <p class="message-text">{entry.text ?? <em>This message cannot be shown on this device.</em>}</p>
      {entry.state === "failed" && (
        <p class="error delivery-failure">
          Not sent: {sentence(entry.failure ?? "the server refused it")}{" "}
          <button type="button" class="link-button" onClick={onRetry}>
            Try again
          </button>
        </p>
      )}
    </li>
  );
}
