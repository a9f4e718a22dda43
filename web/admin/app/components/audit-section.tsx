/** The instance audit log, newest first: filtered, paged by the server, exported as CSV. */
import type { AuditEventView } from "../../../../protocol/index.ts";
import { FormError } from "../../../src/components/form-error.tsx";
import { dateTimeInWords } from "../../../src/components/time-words.ts";
import type { Admin } from "../models/admin-model.ts";
import { userPath } from "../models/admin-router.ts";
import { AUDIT_CSV_NAME } from "../models/audit-model.ts";
import { DELETED_ACCOUNT } from "../models/user-names.ts";
import { AdminLink } from "./admin-link.tsx";
import { AuditFiltersForm } from "./audit-filters.tsx";
import { auditActionInWords, auditDetailsInWords } from "./audit-words.ts";
import { Pager } from "./pager.tsx";
import { SectionHeading } from "./section-heading.tsx";

export function AuditSection({ admin }: { admin: Admin }) {
  const { audit } = admin;
  const events = audit.events.value;
  return (
    <section class="section" aria-labelledby="audit-heading">
      <SectionHeading id="audit-heading">Audit log</SectionHeading>
      <AuditFiltersForm audit={audit} />
      <div class="button-row">
        <button type="button" onClick={() => audit.exportCsv()} disabled={audit.exporting.isBusy.value}>
          Export as CSV
        </button>
        <span class="hint">Every event these filters match, up to 50,000, as {AUDIT_CSV_NAME}</span>
      </div>
      <FormError id="audit-export-error" error={audit.exporting.error.value} />
      {events.length === 0 && !audit.loading.isBusy.value && <p>No event matches these filters.</p>}
      {events.length > 0 && (
        <table class="data" aria-label="Audit events">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">What</th>
              <th scope="col">By</th>
              <th scope="col">Concerning</th>
              <th scope="col">From</th>
            </tr>
          </thead>
          <tbody>
            {events.map((event) => (
              <AuditRow key={event.id} event={event} admin={admin} />
            ))}
          </tbody>
        </table>
      )}
      <Pager
        label="audit events"
        pageNumber={audit.pageNumber}
        hasPrevious={audit.hasNewer}
        hasNext={audit.hasOlder}
        isBusy={audit.loading.isBusy.value}
        previousLabel="Newer events"
        nextLabel="Older events"
        onPrevious={audit.newer}
        onNext={audit.older}
      />
    </section>
  );
}

function AuditRow({ event, admin }: { event: AuditEventView; admin: Admin }) {
  const details = auditDetailsInWords(event);
  return (
    <tr>
      <td data-label="When">{dateTimeInWords(event.at)}</td>
      <th scope="row" data-label="What">
        {auditActionInWords(event.action)}
        {details && <span class="secondary"> ({details})</span>}
      </th>
      <td data-label="By">
        <Account id={event.actorId} admin={admin} />
      </td>
      <td data-label="Concerning">
        <Account id={event.targetUserId} admin={admin} />
      </td>
      <td data-label="From">{event.ip ?? "—"}</td>
    </tr>
  );
}

function Account({ id, admin }: { id: string | null; admin: Admin }) {
  if (!id) return <>—</>;
  const name = admin.audit.names.value[id];
  if (name === DELETED_ACCOUNT) return <>{name}</>;
  return (
    <AdminLink href={userPath(id)} router={admin.router}>
      {name ?? `account ${id.slice(0, 8)}`}
    </AdminLink>
  );
}
