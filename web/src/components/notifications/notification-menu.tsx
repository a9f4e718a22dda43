/**
 * A community's, channel's or conversation's notification choices, as menu items:
 * the level (all messages, only @mentions, nothing, or the community's for a
 * channel; on or off for a DM) and muting for a while or until turned back on.
 * Mounted in the community header menu, a channel's menu and a DM's menu. A level
 * is saved as it is picked (the menu stays open to show it); a mute closes the menu.
 */
import { useSignal } from "@preact/signals";
import { useId } from "preact/hooks";
import {
  DEFAULT_COMMUNITY_LEVEL,
  MUTE_DURATIONS_MS,
  type NotificationLevel,
} from "../../../../protocol/notifications.ts";
import { notificationsInUse } from "../../models/notifications/notifications.ts";
import { sentence } from "../sentence.ts";
import { mutedInWords } from "./muted-words.ts";
import "./notifications.css";

export interface NotificationTarget {
  kind: "community" | "channel";
  id: string;
  name: string;
  /** A DM or group DM: on or off instead of levels. */
  isDirect?: boolean;
}

const LEVEL_WORDS: Record<NotificationLevel, string> = {
  all: "All messages",
  mentions: "Only @mentions",
  nothing: "Nothing",
};

const MUTES: { label: string; durationMs: number | null }[] = [
  { label: "For 15 minutes", durationMs: MUTE_DURATIONS_MS["15m"] },
  { label: "For 1 hour", durationMs: MUTE_DURATIONS_MS["1h"] },
  { label: "For 8 hours", durationMs: MUTE_DURATIONS_MS["8h"] },
  { label: "For 24 hours", durationMs: MUTE_DURATIONS_MS["24h"] },
  { label: "Until I turn it back on", durationMs: null },
];

export function NotificationMenuItems({ target, close }: { target: NotificationTarget; close(): void }) {
  const notifications = notificationsInUse.value;
  const isMuteOpen = useSignal(false);
  const id = useId();
  if (!notifications) return null;
  const { settings } = notifications;
  const own = settings.targetOf(target.kind, target.id);
  const communityId = target.kind === "community" ? target.id : notifications.communityOf(target.id);
  const inherited: NotificationLevel = communityId
    ? (settings.targetOf("community", communityId)?.level ?? DEFAULT_COMMUNITY_LEVEL)
    : DEFAULT_COMMUNITY_LEVEL;
  const mutedWords = mutedInWords(own?.mutedUntil ?? null);
  const error = settings.error.value;

  const levels: { value: NotificationLevel | null; label: string }[] = [
    ...(target.kind === "channel" ? [{ value: null, label: `Use the community's (${LEVEL_WORDS[inherited]})` }] : []),
    ...(["all", "mentions", "nothing"] as const).map((value) => ({ value, label: LEVEL_WORDS[value] })),
  ];
  const current = own?.level ?? (target.kind === "community" ? DEFAULT_COMMUNITY_LEVEL : null);

  return (
    <>
      <li class="notification-menu-group">
        {target.isDirect ? (
          <label class="menu-item notification-check">
            <input
              type="checkbox"
              checked={own?.level !== "nothing"}
              onChange={(event) =>
                void settings.setLevel("channel", target.id, event.currentTarget.checked ? null : "nothing")
              }
            />
            Notify me of new messages
          </label>
        ) : (
          <fieldset class="notification-levels">
            <legend>Notify me of</legend>
            {levels.map((level) => (
              <label class="menu-item notification-check" key={level.value ?? "inherit"}>
                <input
                  type="radio"
                  name={`notification-level-${id}`}
                  checked={current === level.value}
                  onChange={() => void settings.setLevel(target.kind, target.id, level.value)}
                />
                {level.label}
              </label>
            ))}
          </fieldset>
        )}
      </li>
      {mutedWords ? (
        <li class="notification-menu-group">
          <p class="notification-muted-note">{mutedWords}</p>
          <button
            type="button"
            class="menu-item"
            onClick={() => void settings.unmute(target.kind, target.id).then((isDone) => isDone && close())}
          >
            Unmute {target.name}
          </button>
        </li>
      ) : (
        <li class="notification-menu-group">
          <button
            type="button"
            class="menu-item"
            aria-expanded={isMuteOpen.value}
            aria-controls={`${id}-mutes`}
            onClick={() => (isMuteOpen.value = !isMuteOpen.value)}
          >
            Mute {target.name}
            <span aria-hidden="true"> ▸</span>
          </button>
          {isMuteOpen.value && (
            <ul class="menu notification-mutes" id={`${id}-mutes`} aria-label={`Mute ${target.name}`}>
              {MUTES.map((mute) => (
                <li key={mute.label}>
                  <button
                    type="button"
                    class="menu-item"
                    onClick={() =>
                      void settings.mute(target.kind, target.id, mute.durationMs).then((isDone) => isDone && close())
                    }
                  >
                    {mute.label}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </li>
      )}
      {error && (
        <li>
          <p class="error" role="alert">
            {sentence(error)}
          </p>
        </li>
      )}
    </>
  );
}
