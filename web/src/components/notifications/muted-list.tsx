/** Settings > Notifications' list of what is muted now, each with its end and an Unmute button. */
import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import type { Notifications } from "../../models/notifications/notifications.ts";
import { mutedInWords } from "./muted-words.ts";

export function MutedList({ notifications }: { notifications: Notifications }) {
  const { settings } = notifications;
  const muted = settings.muted.value;
  const names = useSignal<ReadonlyMap<string, string>>(new Map());
  useEffect(() => {
    let isCurrent = true;
    void Promise.all(
      muted.map(async (target) => [target.id, await notifications.nameOf(target.kind, target.id)] as const),
    ).then((found) => {
      if (isCurrent) names.value = new Map(found);
    });
    return () => {
      isCurrent = false;
    };
  }, [muted, notifications, names]);

  return (
    <section class="card" aria-labelledby="muted-heading">
      <h2 id="muted-heading">Muted</h2>
      {muted.length === 0 ? (
        <p class="hint">Nothing is muted. Mute a community, channel or conversation from its menu.</p>
      ) : (
        <ul class="muted-list">
          {muted.map((target) => {
            const name = names.value.get(target.id) ?? (target.kind === "community" ? "A community" : "A channel");
            return (
              <li key={`${target.kind}:${target.id}`} class="muted-item">
                <span class="muted-item-words">
                  <strong>{name}</strong>
                  <span class="hint">{mutedInWords(target.mutedUntil)}</span>
                </span>
                <button type="button" onClick={() => void settings.unmute(target.kind, target.id)}>
                  Unmute<span class="visually-hidden"> {name}</span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
