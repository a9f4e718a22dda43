/** Every signed-in session: device, address, when; sign out one, or all but this one. */
import type { DeviceSessions } from "../models/device-sessions.ts";
import type { Session } from "../models/session.ts";
import { deviceInWords } from "./device-words.ts";
import { FormError } from "./form-error.tsx";
import { sentence } from "./sentence.ts";
import { dateTimeInWords, timeAgoInWords } from "./time-words.ts";

interface SessionsSectionProps {
  deviceSessions: DeviceSessions;
  session: Session;
  onChange: () => void;
}

export function SessionsSection({ deviceSessions, session, onChange }: SessionsSectionProps) {
  const list = deviceSessions.sessions.value;
  const hasOthers = list.some((known) => !known.isCurrent);
  const isBusy = deviceSessions.changing.isBusy.value;
  const outcome = deviceSessions.outcome.value;

  const revoke = async (sessionId: string) => {
    await deviceSessions.revoke(sessionId);
    onChange();
  };
  const revokeOthers = async () => {
    await deviceSessions.revokeOthers();
    onChange();
  };

  return (
    <section class="card" aria-labelledby="sessions-heading">
      <h2 id="sessions-heading">Where you are signed in</h2>
      <FormError id="sessions-load-error" error={deviceSessions.loading.error.value} />
      <ul class="session-list" aria-labelledby="sessions-heading">
        {list.map((known) => {
          const device = deviceInWords(known);
          const place = known.ip ?? "an unknown address";
          return (
            <li key={known.id} class={known.isCurrent ? "session-item is-current" : "session-item"}>
              <div class="session-details">
                <p class="session-device">
                  {device}
                  {known.isCurrent && <span class="badge">This device</span>}
                </p>
                <p class="hint" title={known.userAgent ?? undefined}>
                  From {place} · signed in {dateTimeInWords(known.createdAt)} · last active{" "}
                  <time dateTime={known.lastSeenAt}>{timeAgoInWords(known.lastSeenAt)}</time>
                </p>
              </div>
              {known.isCurrent ? (
                <button type="button" onClick={() => void session.signOut()} disabled={session.isSigningOut.value}>
                  Sign out
                </button>
              ) : (
                <button
                  type="button"
                  onClick={() => void revoke(known.id)}
                  disabled={isBusy}
                  aria-label={`Sign out ${device} from ${place}`}
                >
                  Sign out
                </button>
              )}
            </li>
          );
        })}
      </ul>
      {hasOthers && (
        <button type="button" onClick={() => void revokeOthers()} disabled={isBusy}>
          Sign out all other sessions
        </button>
      )}
      <FormError id="sessions-error" error={deviceSessions.changing.error.value} />
      <p class="hint" role="status">
        {outcome && sentence(outcome)}
      </p>
    </section>
  );
}
