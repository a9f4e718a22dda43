/**
 * The communities the user belongs to: the list in the sidebar, which one is
 * selected, creating one, and joining one with an invite. An invite link
 * (/join/<code>) is accepted as soon as someone signed in is on it, so a visitor
 * who signs in or registers from the link lands in the community.
 */
import { computed, createModel, effect, signal, untracked } from "@preact/signals";
import { acceptInviteSchema, createCommunitySchema, type CommunityView } from "../../../protocol/index.ts";
import type { AccountEvents } from "./account-events.ts";
import { createAction } from "./action.ts";
import { describeError } from "./api-client.ts";
import { latestOnly } from "./latest-only.ts";
import { communityPath, joinPath, routeCommunityId, type Router } from "./router.ts";
import type { Session } from "./session.ts";

const byName = (a: CommunityView, b: CommunityView) => a.name.localeCompare(b.name);

/** An invite as people paste it: the code itself, or the whole link. */
export function inviteCodeFrom(typed: string): string {
  const text = typed.trim();
  const fromLink = /\/join\/([^/?#\s]+)/.exec(text)?.[1];
  if (!fromLink) return text;
  try {
    return decodeURIComponent(fromLink);
  } catch {
    return fromLink;
  }
}

export const CommunitiesModel = createModel((session: Session, router: Router, events: AccountEvents) => {
  const communities = signal<CommunityView[]>([]);
  const isLoading = signal(true);
  const loadError = signal<string | null>(null);
  const creating = createAction();
  /** Accepting the invite of the /join/<code> page. */
  const joining = createAction();
  /** Checking what was typed into the join form before going to its /join page. */
  const joinForm = createAction();
  /** Where the user last was, so the home page and DMs keep that community's channels in view. */
  const lastVisitedId = signal<string | null>(null);

  const nextLoad = latestOnly();

  async function load(): Promise<void> {
    const isLatest = nextLoad();
    loadError.value = null;
    try {
      const answer = await session.request<{ communities: CommunityView[] }>("/api/communities");
      if (isLatest()) communities.value = [...answer.communities].sort(byName);
    } catch (caught) {
      if (isLatest()) loadError.value = describeError(caught);
    } finally {
      isLoading.value = false;
    }
  }

  const remember = (community: CommunityView) => {
    communities.value = [...communities.value.filter((known) => known.id !== community.id), community].sort(byName);
  };

  async function accept(code: string): Promise<void> {
    const parsed = acceptInviteSchema.safeParse({ code });
    if (!parsed.success) {
      joining.fail("that invite link is incomplete: ask for a new one");
      return;
    }
    const answer = await joining.run(() =>
      session.request<{ community: CommunityView; isAlreadyMember: boolean }>("/api/community-invites/accept", {
        method: "POST",
        body: parsed.data,
      }),
    );
    if (!answer) return;
    remember(answer.community);
    // The join page is done with; back should not accept the invite again.
    if (router.route.peek().name === "join") router.replace(communityPath(answer.community.id));
  }

  void load();
  // The account socket says when the list changed; coming back to the tab covers a socket that was down.
  effect(() =>
    events.listen((news) => {
      if ((news.type === "changed" && news.scope === "communities") || news.type === "reconnected") void load();
    }),
  );
  effect(() => {
    const onFocus = () => void load();
    addEventListener("focus", onFocus);
    return () => removeEventListener("focus", onFocus);
  });
  effect(() => {
    const route = router.route.value;
    const id = routeCommunityId(route);
    if (id) lastVisitedId.value = id;
    // Untracked: only a change of route should accept an invite, not the signals accepting touches.
    if (route.name === "join") untracked(() => void accept(route.code));
  });

  return {
    communities,
    isLoading,
    loadError,
    creating,
    joining,
    joinForm,
    /** The community whose channels the sidebar shows: the route's, else the last one visited, else the first. */
    selectedId: computed((): string | null => {
      const fromRoute = routeCommunityId(router.route.value);
      if (fromRoute) return fromRoute;
      const list = communities.value;
      const last = lastVisitedId.value;
      return list.find((community) => community.id === last)?.id ?? list[0]?.id ?? null;
    }),
    load,
    /** The new community (with its #general), or null with `creating.error` saying why not. */
    async create(name: string): Promise<CommunityView | null> {
      const parsed = createCommunitySchema.safeParse({ name });
      if (!parsed.success) {
        creating.fail(parsed.error.issues[0]?.message ?? "check the community name");
        return null;
      }
      const answer = await creating.run(() =>
        session.request<{ community: CommunityView }>("/api/communities", { method: "POST", body: parsed.data }),
      );
      if (!answer) return null;
      remember(answer.community);
      events.resubscribe();
      return answer.community;
    },
    /** Goes to the invite's /join page, which accepts it; false (with `joinForm.error`) when nothing usable was typed. */
    openInvite(typed: string): boolean {
      const code = inviteCodeFrom(typed);
      if (!code) return joinForm.fail("paste an invite link or type its code");
      if (!acceptInviteSchema.safeParse({ code }).success)
        return joinForm.fail("that is not an invite code: check that it was copied whole");
      joinForm.reset();
      router.navigate(joinPath(code));
      return true;
    },
    /** Tries the current /join page's invite again, after a failure that may pass. */
    retryJoin() {
      const route = router.route.peek();
      if (route.name === "join") void accept(route.code);
    },
  };
});

export type Communities = InstanceType<typeof CommunitiesModel>;
