/**
 * Managing one's conversations: renaming a group DM, adding people to it (and to its
 * end-to-end encryption), leaving it. Answers go into the conversation list at once;
 * the others in the conversation see them through the account socket (`changed dms`).
 */
import { createModel } from "@preact/signals";
import type { ChannelView } from "../../../protocol/index.ts";
import { addDmParticipantsSchema, renameDmSchema } from "../../../protocol/direct-messages.ts";
import { createAction } from "./action.ts";
import type { DirectMessages } from "./direct-messages.ts";
import type { Encryption } from "./encryption/encryption.ts";
import type { Session } from "./session.ts";

export const ConversationAdminModel = createModel(
  (session: Session, conversations: DirectMessages, encryption: Encryption) => {
    const renaming = createAction();
    const adding = createAction();
    const leaving = createAction();
    const path = (channelId: string) => `/api/dms/${encodeURIComponent(channelId)}`;

    /**
     * The people just added may read what is said from now on: this device pins them as
     * the conversation's (the person's own decision, not the server's word) and commits
     * their devices into the group if it is a member; otherwise an open view of the
     * conversation does, when it next looks at the group.
     */
    async function welcome(channelId: string, userIds: string[]): Promise<void> {
      if (encryption.state.peek().kind !== "ready") return;
      await encryption.run(async (device) => {
        await device.welcomeToConversation(channelId, userIds);
        // A group DM's newcomers read from their join on: no history keys to share.
        if (device.isMember(channelId)) await device.applyPending(channelId);
      });
      encryption.changes.value++;
    }

    return {
      renaming,
      adding,
      leaving,
      /** Names a group DM (empty: named by its people again); true once done. */
      async rename(channelId: string, name: string): Promise<boolean> {
        const parsed = renameDmSchema.safeParse({ name: name.trim() || null });
        if (!parsed.success) return renaming.fail(parsed.error.issues[0]?.message ?? "choose another name");
        const answer = await renaming.run(() =>
          session.request<{ channel: ChannelView }>(path(channelId), { method: "PATCH", body: parsed.data }),
        );
        if (!answer) return false;
        conversations.remember(answer.channel);
        return true;
      },
      /** Adds people to a group DM; true once the server did (encryption follows as it can). */
      async add(channelId: string, userIds: string[]): Promise<boolean> {
        const parsed = addDmParticipantsSchema.safeParse({ userIds });
        if (!parsed.success) return adding.fail(parsed.error.issues[0]?.message ?? "choose someone to add");
        const answer = await adding.run(async () => {
          const added = await session.request<{ channel: ChannelView }>(`${path(channelId)}/participants`, {
            method: "POST",
            body: parsed.data,
          });
          conversations.remember(added.channel);
          await welcome(channelId, parsed.data.userIds);
          return added;
        });
        return answer !== null;
      },
      /** Leaves a group DM; true once done (the conversation is gone from the list). */
      async leave(channelId: string): Promise<boolean> {
        const done = await leaving.run(async () => {
          await session.request(`${path(channelId)}/leave`, { method: "POST" });
          return true;
        });
        if (!done) return false;
        conversations.forget(channelId);
        return true;
      },
    };
  },
);

export type ConversationAdmin = InstanceType<typeof ConversationAdminModel>;
