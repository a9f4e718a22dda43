/** The audit log's filters: who acted, what they did, whom it concerned, and when. */
import { FormError } from "../../../src/components/form-error.tsx";
import { NO_AUDIT_FILTERS, type AuditFilters, type AuditLog } from "../models/audit-model.ts";
import { AUDIT_ACTIONS } from "./audit-words.ts";

export function AuditFiltersForm({ audit }: { audit: AuditLog }) {
  const filters = audit.filters.value;
  const onSubmit = (event: SubmitEvent) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const read = (name: keyof AuditFilters) => String(form.get(name) ?? "");
    void audit.apply({
      actor: read("actor"),
      action: read("action"),
      target: read("target"),
      from: read("from"),
      to: read("to"),
    });
  };
  return (
    // Keyed by the filters in force, so "Show everything" empties the fields.
    <form
      class="filters"
      onSubmit={onSubmit}
      aria-label="Filter the audit log"
      key={JSON.stringify(filters)}
      noValidate
    >
      <div class="field">
        <label for="audit-actor">Done by (username)</label>
        <input id="audit-actor" name="actor" defaultValue={filters.actor} autoComplete="off" maxLength={32} />
      </div>
      <div class="field">
        <label for="audit-action">Action</label>
        <select id="audit-action" name="action">
          <option value="">Any action</option>
          {Object.entries(AUDIT_ACTIONS).map(([action, words]) => (
            <option key={action} value={action} selected={action === filters.action}>
              {words}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="audit-target">Concerning (username)</label>
        <input id="audit-target" name="target" defaultValue={filters.target} autoComplete="off" maxLength={32} />
      </div>
      <div class="field">
        <label for="audit-from">From</label>
        <input id="audit-from" name="from" type="datetime-local" defaultValue={filters.from} />
      </div>
      <div class="field">
        <label for="audit-to">Until</label>
        <input id="audit-to" name="to" type="datetime-local" defaultValue={filters.to} />
      </div>
      <div class="button-row">
        <button type="submit" class="primary" disabled={audit.loading.isBusy.value}>
          Apply filters
        </button>
        <button type="button" onClick={() => audit.apply(NO_AUDIT_FILTERS)} disabled={audit.loading.isBusy.value}>
          Show everything
        </button>
      </div>
      <FormError id="audit-error" error={audit.loading.error.value} />
    </form>
  );
}
