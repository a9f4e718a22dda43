/**
 * Editing how one shows to others (Settings > Profile): display name, pronouns and
 * bio, and the custom status with when it clears itself. Each change is saved on the
 * server, then taken into the session's user, and so into every name shown, at once.
 */
import { createModel } from "@preact/signals";
import type { CustomStatusInput, UserView } from "../../../protocol/index.ts";
import { createAction } from "./action.ts";
import type { Session } from "./session.ts";

/** Discord's choices for "Clear after". */
export const CLEAR_AFTER = ["30m", "1h", "4h", "today", "never"] as const;
export type ClearAfter = (typeof CLEAR_AFTER)[number];

const MINUTE_MS = 60_000;
const CLEAR_AFTER_MS: Record<Exclude<ClearAfter, "today" | "never">, number> = {
  "30m": 30 * MINUTE_MS,
  "1h": 60 * MINUTE_MS,
  "4h": 240 * MINUTE_MS,
};

/** When a status chosen now with `clearAfter` ends: "today" is the coming local midnight. */
export function expiryOf(clearAfter: ClearAfter, now = new Date()): Date | null {
  if (clearAfter === "never") return null;
  if (clearAfter === "today") {
    const midnight = new Date(now);
    midnight.setHours(24, 0, 0, 0);
    return midnight;
  }
  return new Date(now.getTime() + CLEAR_AFTER_MS[clearAfter]);
}

export interface ProfileFields {
  displayName: string;
  pronouns: string;
  bio: string;
}

export const OwnProfileModel = createModel((session: Session) => {
  const saving = createAction();
  const settingStatus = createAction();

  /** The server's answer becomes the signed-in user (and so what names read: session.ts tells profiles.ts). */
  const adopt = (user: UserView) => session.updateUser(user);

  return {
    saving,
    settingStatus,
    /** Saves the profile; empty fields clear. True when saved. */
    async save(fields: ProfileFields): Promise<boolean> {
      const answer = await saving.run(() =>
        session.request<{ user: UserView }>("/api/account/profile", { method: "PATCH", body: fields }),
      );
      if (answer) adopt(answer.user);
      return !!answer;
    },
    async setStatus(text: string, emoji: string, clearAfter: ClearAfter): Promise<boolean> {
      if (!text.trim()) return settingStatus.fail("write what your status says, or clear it");
      const body: CustomStatusInput = {
        text,
        emoji: emoji.trim() || null,
        expiresAt: expiryOf(clearAfter)?.toISOString() ?? null,
      };
      const answer = await settingStatus.run(() =>
        session.request<{ user: UserView }>("/api/account/status", { method: "PATCH", body }),
      );
      if (answer) adopt(answer.user);
      return !!answer;
    },
    async clearStatus(): Promise<boolean> {
      const answer = await settingStatus.run(() =>
        session.request<{ user: UserView }>("/api/account/status", { method: "PATCH", body: { text: null } }),
      );
      if (answer) adopt(answer.user);
      return !!answer;
    },
  };
});

export type OwnProfile = InstanceType<typeof OwnProfileModel>;
