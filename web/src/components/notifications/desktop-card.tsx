/**
 * Settings > Notifications' card for this device: whether the browser lets Chatalot
 * show notifications (and a button that asks it), whether to show them here, a test
 * notification, and whether pushes reach this browser when no tab is open.
 */
import { useSignal } from "@preact/signals";
import type { Permission } from "../../models/notifications/desktop-notifications.ts";
import type { Notifications } from "../../models/notifications/notifications.ts";
import type { PushState } from "../../models/notifications/push-subscription.ts";
import { sentence } from "../sentence.ts";

const PERMISSION_WORDS: Record<Permission, string> = {
  default: "Your browser has not been asked yet whether Chatalot may show notifications.",
  granted: "Your browser lets Chatalot show notifications.",
  denied:
    "Your browser blocks notifications from Chatalot. Allow them in the site's settings (the icon left of the address), then come back.",
  unsupported: "This browser cannot show notifications.",
};

const PUSH_WORDS: Record<PushState, string> = {
  off: "With no Chatalot tab open, you hear of nothing.",
  subscribing: "Setting up notifications for when no Chatalot tab is open…",
  on: "With no Chatalot tab open, direct messages and mentions still arrive (by your browser's push service; they carry no message text).",
  unavailable: "With no Chatalot tab open, you hear of nothing.",
};

export function DesktopCard({ notifications }: { notifications: Notifications }) {
  const { desktop, push } = notifications;
  const permission = desktop.permission.value;
  const testResult = useSignal<string | null>(null);
  const error = desktop.error.value;
  const pushProblem = push.problem.value;

  const test = async () => {
    testResult.value = (await notifications.showTest()) ? "A test notification was sent." : null;
  };

  return (
    <section class="card" aria-labelledby="desktop-notifications-heading">
      <h2 id="desktop-notifications-heading">Desktop notifications on this device</h2>
      <p>{PERMISSION_WORDS[permission]}</p>
      {permission === "default" && (
        <button type="button" onClick={() => void desktop.ask()}>
          Allow notifications
        </button>
      )}
      <label class="notification-setting">
        <input
          type="checkbox"
          checked={desktop.isWanted.value}
          disabled={permission === "denied" || permission === "unsupported"}
          aria-describedby="desktop-notifications-hint"
          onChange={(event) => desktop.setWanted(event.currentTarget.checked)}
        />
        <span>
          Show desktop notifications here
          <span id="desktop-notifications-hint" class="hint">
            {" "}
            For direct messages and mentions (and channels set to all messages) when this tab is in the background or
            another channel is open.
          </span>
        </span>
      </label>
      {desktop.isOn.value && (
        <>
          <button type="button" onClick={() => void test()}>
            Send a test notification
          </button>
          <p role="status">{testResult.value}</p>
          <p class="hint">{pushProblem ? sentence(pushProblem) : PUSH_WORDS[push.state.value]}</p>
        </>
      )}
      {error && (
        <p class="error" role="alert">
          {sentence(error)}
        </p>
      )}
    </section>
  );
}
