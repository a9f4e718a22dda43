/**
 * The people the signed-in person blocked: read once per page, again when the
 * account socket says the list changed (a block from another device) or after a
 * reconnect; blocking and unblocking here. One list for the page, reached with
 * `blocksOf(session)`, so a profile card's Block button, the DM list and Settings >
 * Privacy & safety all show the same thing without being handed a model.
 *
 * What a block does (functions/routes/blocks.ts): neither can start a conversation
 * with the other, their 1:1 DM becomes read-only for both (its history stays), and
 * neither shows in the other's new-conversation picker. Group DMs and community
 * channels are not changed; the blocked person is not told, but sees they cannot reply.
 */
import { computed, signal } from "@preact/signals";
import type { BlockedPersonView } from "../../../protocol/direct-messages.ts";
import { createAction } from "./action.ts";
import { ApiError, describeError } from "./api-client.ts";
import { latestOnly } from "./latest-only.ts";
import type { Session } from "./session.ts";

function createBlocks(session: Session) {
  const blocked = signal<readonly BlockedPersonView[]>([]);
  const isLoaded = signal(false);
  const loadError = signal<string | null>(null);
  const changing = createAction();
  const nextLoad = latestOnly();
  const blockedIds = computed(() => new Set(blocked.value.map((person) => person.userId)));

  async function load(): Promise<void> {
    const isLatest = nextLoad();
    try {
      const answer = await session.request<{ blocked: BlockedPersonView[] }>("/api/blocks");
      if (!isLatest()) return;
      blocked.value = answer.blocked;
      loadError.value = null;
      isLoaded.value = true;
    } catch (caught) {
      if (isLatest()) loadError.value = describeError(caught);
    }
  }
  void load();

  return {
    blocked,
    blockedIds,
    isLoaded,
    loadError,
    changing,
    load,
    isBlocked: (userId: string) => blockedIds.value.has(userId),
    /** Blocks the person; true once the server did. */
    async block(userId: string, username: string): Promise<boolean> {
      const done = await changing.run(async () => {
        await session.request(`/api/blocks/${encodeURIComponent(userId)}`, { method: "PUT" });
        return true;
      });
      if (!done) return false;
      const entry = { userId, username, createdAt: new Date().toISOString() };
      blocked.value = [entry, ...blocked.value.filter((person) => person.userId !== userId)];
      return true;
    },
    /** Unblocks the person; true once the server did (or they were not blocked any more). */
    async unblock(userId: string): Promise<boolean> {
      const done = await changing.run(async () => {
        await session.request(`/api/blocks/${encodeURIComponent(userId)}`, { method: "DELETE" }).catch((error) => {
          // Unblocked already (from another device): what was wanted is so.
          if (!(error instanceof ApiError && error.status === 404)) throw error;
        });
        return true;
      });
      if (!done) return false;
      blocked.value = blocked.value.filter((person) => person.userId !== userId);
      return true;
    },
  };
}

export type Blocks = ReturnType<typeof createBlocks>;

const bySession = new WeakMap<Session, Blocks>();

/** The page's list of blocked people for this session, read the first time it is asked for. */
export function blocksOf(session: Session): Blocks {
  let blocks = bySession.get(session);
  if (!blocks) {
    blocks = createBlocks(session);
    bySession.set(session, blocks);
  }
  return blocks;
}
