/**
 * The instance audit log: filtered by who acted, what they did, whom it concerned
 * and when; paged newest first (each older page starts before the last event
 * shown); exported with the same filters as CSV.
 */
import { batch, computed, createModel, signal } from "@preact/signals";
import type { AuditEventView } from "../../../../protocol/index.ts";
import { createAction } from "../../../src/models/action.ts";
import { queryString, type AdminApi } from "./admin-api.ts";
import { saveFile } from "./save-file.ts";
import { createUserNames } from "./user-names.ts";
import { userNamed } from "./users-model.ts";

export const AUDIT_PER_PAGE = 50;
export const AUDIT_CSV_NAME = "chatalot-audit.csv";

/** The filters as typed: usernames, an action, and local times from datetime-local fields. */
export interface AuditFilters {
  actor: string;
  action: string;
  target: string;
  from: string;
  to: string;
}

export const NO_AUDIT_FILTERS: AuditFilters = { actor: "", action: "", target: "", from: "", to: "" };

type AuditQuery = Record<string, string | undefined>;

export const AuditModel = createModel((api: AdminApi) => {
  const filters = signal<AuditFilters>(NO_AUDIT_FILTERS);
  const events = signal<AuditEventView[]>([]);
  /** Where each page seen starts (null: the newest); the last is in view. */
  const starts = signal<(number | null)[]>([null]);
  const loading = createAction();
  const exporting = createAction();
  const userNames = createUserNames(api);
  let query: AuditQuery = {};

  const fetchPage = async (forQuery: AuditQuery, before: number | null) => {
    const answer = await api.get<{ events: AuditEventView[] }>(
      `/api/admin/audit${queryString({ ...forQuery, before, limit: AUDIT_PER_PAGE })}`,
    );
    return answer.events;
  };

  async function show(
    work: () => Promise<{ query: AuditQuery; events: AuditEventView[] }>,
    pageStarts: (number | null)[],
  ) {
    const answer = await loading.run(async () => {
      const page = await work();
      // Names first, so the page shows people by name from the start (resolve never throws).
      await userNames.resolve(page.events.flatMap((event) => [event.actorId, event.targetUserId]));
      return page;
    });
    if (!answer) return;
    query = answer.query;
    batch(() => {
      events.value = answer.events;
      starts.value = pageStarts;
    });
  }

  /** The filters as the API takes them: account ids and ISO times. */
  async function queryFor(typed: AuditFilters): Promise<AuditQuery> {
    const from = typed.from ? instant(typed.from, "from") : undefined;
    const to = typed.to ? instant(typed.to, "until") : undefined;
    if (from && to && from >= to) throw new Error("the “from” time must be before the “until” time");
    return {
      actor: typed.actor.trim() ? (await userNamed(api, typed.actor)).id : undefined,
      target: typed.target.trim() ? (await userNamed(api, typed.target)).id : undefined,
      action: typed.action || undefined,
      from,
      to,
    };
  }

  return {
    filters,
    events,
    loading,
    exporting,
    names: userNames.names,
    pageNumber: computed(() => starts.value.length),
    hasOlder: computed(() => events.value.length === AUDIT_PER_PAGE),
    hasNewer: computed(() => starts.value.length > 1),
    reload: () =>
      show(async () => ({ query, events: await fetchPage(query, starts.peek().at(-1) ?? null) }), starts.peek()),
    async apply(typed: AuditFilters): Promise<void> {
      filters.value = typed;
      await show(async () => {
        const next = await queryFor(typed);
        return { query: next, events: await fetchPage(next, null) };
      }, [null]);
    },
    async older(): Promise<void> {
      const last = events.peek().at(-1);
      if (!last) return;
      await show(async () => ({ query, events: await fetchPage(query, last.id) }), [...starts.peek(), last.id]);
    },
    async newer(): Promise<void> {
      const pageStarts = starts.peek().slice(0, -1);
      if (pageStarts.length === 0) return;
      await show(async () => ({ query, events: await fetchPage(query, pageStarts.at(-1) ?? null) }), pageStarts);
    },
    /** Every event the filters match (up to the server's 50,000 rows), as a CSV file to save. */
    async exportCsv(): Promise<void> {
      const file = await exporting.run(() => api.file(`/api/admin/audit.csv${queryString(query)}`));
      if (file) saveFile(file, AUDIT_CSV_NAME);
    },
  };
});

export type AuditLog = InstanceType<typeof AuditModel>;

function instant(local: string, label: string): string {
  const time = new Date(local);
  if (Number.isNaN(time.getTime())) throw new Error(`the “${label}” time is not a date and time`);
  return time.toISOString();
}
