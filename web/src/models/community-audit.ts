/**
 * A community's audit log in its settings: newest first, a page at a time ("Load older"),
 * narrowed by action and by who acted. Changing a filter starts again from the newest.
 */
import { createModel, signal } from "@preact/signals";
import type { CommunityAuditEventView, CommunityAuditFilters, CommunityAuditPage } from "../../../protocol/index.ts";
import { describeError } from "./api-client.ts";
import { latestOnly } from "./latest-only.ts";
import type { Session } from "./session.ts";

const PAGE_SIZE = 50;

export const CommunityAuditModel = createModel((session: Session, communityId: string) => {
  const path = `/api/communities/${encodeURIComponent(communityId)}/audit`;
  const events = signal<CommunityAuditEventView[]>([]);
  const hasMore = signal(false);
  const isLoading = signal(true);
  const error = signal<string | null>(null);
  const filters = signal<CommunityAuditFilters>({ actors: [], actions: [] });
  const action = signal("");
  const actorId = signal("");
  const nextLoad = latestOnly();

  /** The first page (`before` null) or the one before the oldest shown. */
  async function load(before: number | null): Promise<void> {
    const isLatest = nextLoad();
    isLoading.value = true;
    error.value = null;
    const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (before) query.set("before", String(before));
    if (action.peek()) query.set("action", action.peek());
    if (actorId.peek()) query.set("actorId", actorId.peek());
    try {
      const page = await session.request<CommunityAuditPage>(`${path}?${query}`);
      if (!isLatest()) return;
      events.value = before ? [...events.peek(), ...page.events] : page.events;
      hasMore.value = page.hasMore;
    } catch (caught) {
      if (isLatest()) error.value = describeError(caught);
    } finally {
      if (isLatest()) isLoading.value = false;
    }
  }

  async function loadFilters(): Promise<void> {
    try {
      filters.value = await session.request<CommunityAuditFilters>(`${path}/filters`);
    } catch {
      // The choices are a convenience: the log itself says what went wrong.
    }
  }

  void load(null);
  void loadFilters();

  return {
    events,
    hasMore,
    isLoading,
    error,
    filters,
    action,
    actorId,
    loadOlder: () => void load(events.peek().at(-1)?.id ?? null),
    refresh: () => {
      void load(null);
      void loadFilters();
    },
    filterBy(change: { action?: string; actorId?: string }) {
      if (change.action !== undefined) action.value = change.action;
      if (change.actorId !== undefined) actorId.value = change.actorId;
      void load(null);
    },
  };
});

export type CommunityAudit = InstanceType<typeof CommunityAuditModel>;
