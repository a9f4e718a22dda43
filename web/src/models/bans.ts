/**
 * A community's bans, for its settings (BAN_MEMBERS): who, why, when and by whom,
 * newest first, and lifting one after a confirmation. Read again whenever the
 * community's members change (a ban elsewhere removes a member, and says so).
 */
import { createModel, effect, signal } from "@preact/signals";
import type { BanView } from "../../../protocol/moderation.ts";
import type { AccountEvents } from "./account-events.ts";
import { createAction } from "./action.ts";
import { describeError } from "./api-client.ts";
import { latestOnly } from "./latest-only.ts";
import type { Session } from "./session.ts";

export const BansModel = createModel((session: Session, communityId: string, events: AccountEvents) => {
  const path = `/api/communities/${encodeURIComponent(communityId)}/bans`;
  const bans = signal<BanView[] | null>(null);
  const loadError = signal<string | null>(null);
  /** The ban whose lifting waits for a confirmation. */
  const confirming = signal<string | null>(null);
  const unbanning = createAction();
  const nextLoad = latestOnly();

  async function load(): Promise<void> {
    const isLatest = nextLoad();
    try {
      const answer = await session.request<{ bans: BanView[] }>(path);
      if (!isLatest()) return;
      bans.value = answer.bans;
      loadError.value = null;
    } catch (caught) {
      if (isLatest()) loadError.value = describeError(caught);
    }
  }
  void load();
  effect(() =>
    events.listen((news) => {
      if (news.type === "reconnected") void load();
      else if (news.type === "changed" && news.scope === "members" && news.communityId === communityId) void load();
    }),
  );

  return {
    bans,
    loadError,
    confirming,
    unbanning,
    load,
    confirm(userId: string) {
      unbanning.reset();
      confirming.value = userId;
    },
    cancel() {
      confirming.value = null;
      unbanning.reset();
    },
    /** Lifts the ban; the person may join again with an invite. */
    async unban(userId: string): Promise<boolean> {
      const done = await unbanning.run(() =>
        session.request(`${path}/${encodeURIComponent(userId)}`, { method: "DELETE" }).then(() => true),
      );
      if (!done) return false;
      confirming.value = null;
      bans.value = (bans.peek() ?? []).filter((ban) => ban.userId !== userId);
      return true;
    },
  };
});

export type Bans = InstanceType<typeof BansModel>;
