/**
 * Whether the open channel is end-to-end encrypted, in words beside its name: the
 * lock, or why not (too many readers, waiting to be added, locked device); in a
 * conversation, the safety number to compare with the other person.
 */
import { useSignal } from "@preact/signals";
import { E2EE_MEMBERS_MAX } from "../../../protocol/index.ts";
import type { Chat } from "../models/chat.ts";
import type { Encryption } from "../models/encryption/encryption.ts";
import { sentence } from "./sentence.ts";

export function ChannelLock({
  chat,
  encryption,
  ownUserId,
}: {
  chat: Chat;
  encryption: Encryption;
  ownUserId: string;
}) {
  const crypto = chat.encryption;
  const status = crypto.status.value;
  const safetyNumber = useSignal<string | null>(null);
  const channel = chat.channel.value;
  const other = channel?.kind === "dm" ? channel.participants?.find((person) => person.userId !== ownUserId) : null;

  const showSafetyNumber = async () => {
    if (safetyNumber.peek() || !other) return (safetyNumber.value = null);
    safetyNumber.value = (await encryption.safetyNumberWith(other.userId)) ?? "not available yet";
  };

  return (
    <div class="channel-lock">
      {status === "encrypted" && (
        <span class="tag is-encrypted" title="Only the members’ devices can read these messages">
          End-to-end encrypted
        </span>
      )}
      {status === "unencrypted" && (
        <span class="tag is-unencrypted" role="status">
          Not end-to-end encrypted: {crypto.readers.value} people may read it, above the {E2EE_MEMBERS_MAX} it supports
        </span>
      )}
      {status === "waiting" && (
        <span class="tag" role="status">
          Waiting for a member’s device to add this one{" "}
          <button type="button" class="link-button" onClick={() => void crypto.ensure({ joinAlone: true })}>
            Join without earlier messages
          </button>
        </span>
      )}
      {status === "unavailable" && <span class="tag">Encryption locked on this device</span>}
      {status === "starting" && <span class="tag">Setting up encryption…</span>}
      {other && status === "encrypted" && (
        <button
          type="button"
          class="small"
          aria-expanded={!!safetyNumber.value}
          onClick={() => void showSafetyNumber()}
        >
          Safety number
        </button>
      )}
      {safetyNumber.value && (
        <p class="safety-number" data-testid="safety-number">
          Compare with {other?.username}: <code>{safetyNumber.value}</code>
        </p>
      )}
      {crypto.problem.value && (
        <p class="error" role="alert">
          {sentence(crypto.problem.value)}
        </p>
      )}
    </div>
  );
}
