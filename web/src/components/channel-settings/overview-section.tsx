/**
 * Channel settings > Overview: name, topic, category, slow mode (Discord's steps),
 * read-only, archived and newcomer history, saved together with the server's refusal
 * shown in words; and deleting the channel after a confirmation that names it.
 */
import { useSignal } from "@preact/signals";
import {
  CHANNEL_NAME_MAX_LENGTH,
  CHANNEL_TOPIC_MAX_LENGTH,
  type ChannelView,
  type NewcomerHistory,
} from "../../../../protocol/index.ts";
import type { ChannelAdmin, ChannelChanges } from "../../models/channel-admin.ts";
import type { Community } from "../../models/community.ts";
import { channelSlug } from "../create-channel-form.tsx";
import { describedBy, FormError } from "../form-error.tsx";
import { useFocusOnMount } from "../use-focus-on-mount.ts";
import { slowModeStepInWords, SLOW_MODE_STEPS } from "./slow-mode-steps.ts";

interface OverviewProps {
  channel: ChannelView;
  community: Community;
  admin: ChannelAdmin;
  onDeleted(): void;
}

const HISTORY_WORDS: Record<NewcomerHistory, { label: string; hint: string }> = {
  from_start: {
    label: "Newcomers read the whole history",
    hint: "Someone who joins later can read every earlier message: members' devices pass them the keys of the past (messages stay end-to-end encrypted).",
  },
  from_join: {
    label: "Newcomers read from when they join",
    hint: "Someone who joins later sees only what is sent after they arrive: the keys of earlier messages are never shared with them, so those stay unreadable to them.",
  },
};

export function ChannelOverviewSection({ channel, community, admin, onDeleted }: OverviewProps) {
  const saved = useSignal(false);
  const error = admin.saving.error.value;
  const categories = community.categories.value;
  const steps = SLOW_MODE_STEPS.includes(channel.slowModeSeconds)
    ? SLOW_MODE_STEPS
    : [...SLOW_MODE_STEPS, channel.slowModeSeconds].sort((a, b) => a - b);

  const onSubmit = async (event: SubmitEvent) => {
    event.preventDefault();
    saved.value = false;
    const data = new FormData(event.currentTarget as HTMLFormElement);
    const changes: ChannelChanges = {
      name: channelSlug(String(data.get("name") ?? "")).replace(/-+$/, ""),
      topic: String(data.get("topic") ?? "").trim() || null,
      categoryId: String(data.get("category") ?? "") || null,
      slowModeSeconds: Number(data.get("slowMode") ?? 0),
      isReadOnly: data.get("readOnly") === "on",
      isArchived: data.get("archived") === "on",
      newcomerHistory: data.get("history") === "from_join" ? "from_join" : "from_start",
    };
    if (await admin.saveChannel(channel.id, changes)) saved.value = true;
  };

  return (
    <>
      <form class="stack channel-settings-form" onSubmit={onSubmit} onInput={() => (saved.value = false)} noValidate>
        <label for="channel-name">Channel name</label>
        <input
          id="channel-name"
          name="name"
          defaultValue={channel.name}
          maxLength={CHANNEL_NAME_MAX_LENGTH}
          autoCapitalize="none"
          spellcheck={false}
          onInput={(event) => {
            const input = event.currentTarget;
            const slug = channelSlug(input.value);
            if (slug !== input.value) input.value = slug;
          }}
          aria-describedby={describedBy(error && "channel-settings-error")}
        />
        <label for="channel-topic">Topic</label>
        <textarea
          id="channel-topic"
          name="topic"
          rows={3}
          maxLength={CHANNEL_TOPIC_MAX_LENGTH}
          defaultValue={channel.topic ?? ""}
          placeholder="Let everyone know what this channel is for"
        />
        <label for="channel-category">Category</label>
        <select id="channel-category" name="category" defaultValue={channel.categoryId ?? ""}>
          <option value="">No category</option>
          {categories.map((category) => (
            <option key={category.id} value={category.id}>
              {category.name}
            </option>
          ))}
        </select>
        <label for="channel-slow-mode">Slow mode</label>
        <select
          id="channel-slow-mode"
          name="slowMode"
          defaultValue={String(channel.slowModeSeconds)}
          aria-describedby="channel-slow-mode-hint"
        >
          {steps.map((seconds) => (
            <option key={seconds} value={String(seconds)}>
              {slowModeStepInWords(seconds)}
            </option>
          ))}
        </select>
        <p id="channel-slow-mode-hint" class="hint">
          How long members wait between two messages; those who manage the channel are exempt.
        </p>
        <div class="choice">
          <input
            id="channel-read-only"
            name="readOnly"
            type="checkbox"
            defaultChecked={channel.isReadOnly}
            aria-describedby="channel-read-only-hint"
          />
          <label for="channel-read-only">Read-only</label>
          <p id="channel-read-only-hint" class="hint">
            Only those who manage the channel post; everyone else reads.
          </p>
        </div>
        <div class="choice">
          <input
            id="channel-archived"
            name="archived"
            type="checkbox"
            defaultChecked={channel.isArchived}
            aria-describedby="channel-archived-hint"
          />
          <label for="channel-archived">Archived</label>
          <p id="channel-archived-hint" class="hint">
            Nobody can write in it any more, not even its managers; its history stays readable.
          </p>
        </div>
        <fieldset>
          <legend>What newcomers can read of the past</legend>
          {(["from_start", "from_join"] as const).map((value) => (
            <div key={value} class="choice">
              <input
                id={`channel-history-${value}`}
                name="history"
                type="radio"
                value={value}
                defaultChecked={channel.newcomerHistory === value}
                aria-describedby={`channel-history-${value}-hint`}
              />
              <label for={`channel-history-${value}`}>{HISTORY_WORDS[value].label}</label>
              <p id={`channel-history-${value}-hint`} class="hint">
                {HISTORY_WORDS[value].hint}
              </p>
            </div>
          ))}
        </fieldset>
        <FormError id="channel-settings-error" error={error} />
        <div class="button-row">
          <button type="submit" class="primary" disabled={admin.saving.isBusy.value}>
            Save changes
          </button>
          <p class="hint" role="status">
            {saved.value ? "Saved." : ""}
          </p>
        </div>
      </form>
      <hr class="settings-section-divider" />
      <DeleteChannel channel={channel} admin={admin} onDeleted={onDeleted} />
    </>
  );
}

function DeleteChannel({ channel, admin, onDeleted }: Omit<OverviewProps, "community">) {
  const isAsking = useSignal(false);
  const title = `#${channel.name}`;
  return (
    <section class="danger-zone" aria-labelledby="delete-channel-heading">
      <h2 id="delete-channel-heading">Delete channel</h2>
      {isAsking.value ? (
        <DeleteConfirmation
          title={title}
          admin={admin}
          onConfirm={async () => {
            if (await admin.deleteChannel(channel.id)) onDeleted();
          }}
          onCancel={() => (isAsking.value = false)}
        />
      ) : (
        <>
          <p class="hint">Deleting it removes its messages and files for everyone.</p>
          <div class="button-row">
            <button type="button" class="danger" onClick={() => (admin.deleting.reset(), (isAsking.value = true))}>
              Delete channel
            </button>
          </div>
        </>
      )}
    </section>
  );
}

function DeleteConfirmation(props: { title: string; admin: ChannelAdmin; onConfirm(): void; onCancel(): void }) {
  const confirm = useFocusOnMount<HTMLButtonElement>();
  return (
    <div class="stack" role="group" aria-label={`Confirm deleting ${props.title}`}>
      <p>Delete {props.title}? Its messages and files are removed for everyone, and this cannot be undone.</p>
      <FormError id="delete-channel-error" error={props.admin.deleting.error.value} />
      <div class="button-row">
        <button
          type="button"
          class="danger"
          ref={confirm}
          disabled={props.admin.deleting.isBusy.value}
          onClick={props.onConfirm}
        >
          Delete {props.title}
        </button>
        <button type="button" onClick={props.onCancel}>
          Keep it
        </button>
      </div>
    </div>
  );
}
