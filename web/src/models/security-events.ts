/** The user's recent security events, newest first, from the server's audit log. */
import { createModel, signal } from "@preact/signals";
import type { AuditEventView } from "../../../protocol/index.ts";
import { createAction } from "./action.ts";
import type { Session } from "./session.ts";

const PAGE_SIZE = 20;

export const SecurityEventsModel = createModel((session: Session) => {
  const events = signal<AuditEventView[]>([]);
  const hasOlder = signal(false);
  const action = createAction();

  const page = (before?: number) =>
    session.request<{ events: AuditEventView[] }>(
      `/api/account/audit?limit=${PAGE_SIZE}${before ? `&before=${before}` : ""}`,
    );

  /** The newest page again: after any change on the page, so the change shows here too. */
  async function load(): Promise<void> {
    const answer = await action.run(() => page());
    if (!answer) return;
    events.value = answer.events;
    hasOlder.value = answer.events.length === PAGE_SIZE;
  }
  void load();

  return {
    events,
    hasOlder,
    action,
    load,
    async loadOlder(): Promise<void> {
      const oldest = events.peek().at(-1);
      if (!oldest) return;
      const answer = await action.run(() => page(oldest.id));
      if (!answer) return;
      events.value = [...events.peek(), ...answer.events];
      hasOlder.value = answer.events.length === PAGE_SIZE;
    },
  };
});

export type SecurityEvents = InstanceType<typeof SecurityEventsModel>;
