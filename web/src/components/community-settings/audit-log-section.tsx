/**
 * Community settings > Audit log: who did what in the community, newest first, each
 * entry a sentence ("carol timed out mallory for 1 hour: spamming") with its time,
 * narrowed by action and by who acted, older pages on request.
 */
import { useModel } from "@preact/signals";
import { CommunityAuditModel } from "../../models/community-audit.ts";
import { FormError } from "../form-error.tsx";
import { dateTimeInWords } from "../time-words.ts";
import { auditActionName, auditActorName, auditDeedInWords } from "./community-audit-words.ts";
import type { OwnSectionProps } from "./community-settings-page.tsx";

export function AuditLogSection({ session, communityId }: OwnSectionProps) {
  const audit = useModel(() => new CommunityAuditModel(session, communityId));
  const { actors, actions } = audit.filters.value;
  const events = audit.events.value;
  const isFiltered = !!audit.action.value || !!audit.actorId.value;

  return (
    <section class="card" aria-labelledby="audit-log-heading">
      <h2 id="audit-log-heading" class="visually-hidden">
        Entries
      </h2>
      <div class="audit-filters" role="group" aria-label="Filter the audit log">
        <div class="invite-option">
          <label for="audit-action">Action</label>
          <select
            id="audit-action"
            value={audit.action.value}
            onChange={(event) => audit.filterBy({ action: event.currentTarget.value })}
          >
            <option value="">All actions</option>
            {actions.map((action) => (
              <option key={action} value={action}>
                {auditActionName(action)}
              </option>
            ))}
          </select>
        </div>
        <div class="invite-option">
          <label for="audit-actor">By</label>
          <select
            id="audit-actor"
            value={audit.actorId.value}
            onChange={(event) => audit.filterBy({ actorId: event.currentTarget.value })}
          >
            <option value="">Everyone</option>
            {actors.map((actor) => (
              <option key={actor.userId} value={actor.userId}>
                {actor.displayName ? `${actor.displayName} (${actor.username})` : actor.username}
              </option>
            ))}
          </select>
        </div>
      </div>
      <FormError id="audit-log-error" error={audit.error.value} />
      {events.length === 0 && !audit.isLoading.value && !audit.error.value ? (
        <p class="hint">
          {isFiltered ? "Nothing in the log matches these filters." : "Nothing has been recorded yet."}
        </p>
      ) : (
        <ol class="audit-list" aria-label="Audit log entries, newest first" aria-busy={audit.isLoading.value}>
          {events.map((event) => (
            <li key={event.id} class="audit-entry">
              <span class="audit-words">
                <strong>{auditActorName(event)}</strong> {auditDeedInWords(event)}
              </span>
              <time class="hint" dateTime={event.at}>
                {dateTimeInWords(event.at)}
              </time>
            </li>
          ))}
        </ol>
      )}
      {audit.hasMore.value && (
        <div class="button-row">
          <button type="button" disabled={audit.isLoading.value} onClick={() => audit.loadOlder()}>
            Load older entries
          </button>
        </div>
      )}
    </section>
  );
}
