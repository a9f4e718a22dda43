/** Recent security events on the account: when, what, and from which address. */
import type { SecurityEvents } from "../models/security-events.ts";
import { auditActionInWords } from "./audit-words.ts";
import { FormError } from "./form-error.tsx";
import { dateTimeInWords } from "./time-words.ts";

export function SecurityEventsSection({ events }: { events: SecurityEvents }) {
  const list = events.events.value;
  return (
    <section class="card" aria-labelledby="events-heading">
      <h2 id="events-heading">Recent security events</h2>
      <FormError id="events-error" error={events.action.error.value} />
      {list.length === 0 && !events.action.isBusy.value && <p class="hint">Nothing yet.</p>}
      <ol class="event-list" aria-labelledby="events-heading">
        {list.map((event) => (
          <li key={event.id} class="event-item">
            <time dateTime={event.at}>{dateTimeInWords(event.at)}</time>
            <span class="event-action">{auditActionInWords(event)}</span>
            <span class="hint">{event.ip ? `from ${event.ip}` : "address unknown"}</span>
          </li>
        ))}
      </ol>
      {events.hasOlder.value && (
        <button type="button" onClick={() => void events.loadOlder()} disabled={events.action.isBusy.value}>
          Show older events
        </button>
      )}
    </section>
  );
}
