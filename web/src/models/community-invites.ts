/**
 * A community's invites in its settings: the list (for those who manage the community),
 * making one with an expiry and a maximum of uses as Discord's dialog offers, copying its
 * link, and revoking one. The list is read when the section opens and after each change.
 */
import { createModel, signal } from "@preact/signals";
import { communityInviteSchema, type CommunityInviteView } from "../../../protocol/index.ts";
import { createAction } from "./action.ts";
import { describeError } from "./api-client.ts";
import type { Session } from "./session.ts";

/** What a new invite allows: minutes until it expires and people who may use it; null is never / no limit. */
export interface InviteOptions {
  expiresInMinutes: number | null;
  maxUses: number | null;
}

/** Discord's defaults: a week, any number of people. */
export const DEFAULT_INVITE_OPTIONS: InviteOptions = { expiresInMinutes: 7 * 24 * 60, maxUses: null };

export interface MadeInvite {
  invite: CommunityInviteView;
  code: string;
  link: string;
}

/** The request body for `options`: what is "never" or "no limit" is left out. */
export function inviteRequest(options: InviteOptions) {
  return communityInviteSchema.parse({
    ...(options.expiresInMinutes ? { expiresInMinutes: options.expiresInMinutes } : {}),
    ...(options.maxUses ? { maxUses: options.maxUses } : {}),
  });
}

export const CommunityInvitesModel = createModel((session: Session, communityId: string, canList: boolean) => {
  const path = `/api/communities/${encodeURIComponent(communityId)}/invites`;
  const invites = signal<CommunityInviteView[]>([]);
  const isLoading = signal(canList);
  const loadError = signal<string | null>(null);
  const creating = createAction();
  const revoking = createAction();
  const made = signal<MadeInvite | null>(null);
  const copy = signal<"copied" | "refused" | null>(null);

  async function load(): Promise<void> {
    if (!canList) return;
    loadError.value = null;
    try {
      invites.value = (await session.request<{ invites: CommunityInviteView[] }>(path)).invites;
    } catch (caught) {
      loadError.value = describeError(caught);
    } finally {
      isLoading.value = false;
    }
  }
  void load();

  return {
    invites,
    isLoading,
    loadError,
    creating,
    revoking,
    made,
    copy,
    load,
    async create(options: InviteOptions): Promise<boolean> {
      const answer = await creating.run(() =>
        session.request<MadeInvite>(path, { method: "POST", body: inviteRequest(options) }),
      );
      copy.value = null;
      if (!answer) return false;
      made.value = answer;
      await load();
      return true;
    },
    async copyLink(): Promise<void> {
      const link = made.peek()?.link;
      if (!link) return;
      try {
        // Only on https and localhost; elsewhere the person copies from the selected field.
        await navigator.clipboard.writeText(link);
        copy.value = "copied";
      } catch {
        copy.value = "refused";
      }
    },
    async revoke(inviteId: string): Promise<boolean> {
      const done = await revoking.run(() =>
        session.request(`${path}/${encodeURIComponent(inviteId)}`, { method: "DELETE" }).then(() => true),
      );
      if (!done) return false;
      if (made.peek()?.invite.id === inviteId) made.value = null;
      await load();
      return true;
    },
  };
});

export type CommunityInvites = InstanceType<typeof CommunityInvitesModel>;
