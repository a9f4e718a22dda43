/**
 * Whether the open channel is end-to-end encrypted, in words beside its name: the
 * lock, or why not (too many readers, waiting to be added, locked device); in a
 * conversation, whether the other person is verified (or changed their key) and
 * the safety number to compare; in a channel, the group's verification code.
 */
import { useSignal } from "@preact/signals";
import { E2EE_MEMBERS_MAX } from "../../../protocol/index.ts";
import type { Chat } from "../models/chat.ts";
import type { Encryption } from "../models/encryption/encryption.ts";
import { Icon } from "./shell/icons.tsx";
import { Popover } from "./shell/popover.tsx";
import { SafetyNumberPanel } from "./safety-number-panel.tsx";
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
  const groupCode = useSignal<string | null>(null);
  const showsReaders = useSignal(false);
  const channel = chat.channel.value;
  const other = channel?.kind === "dm" ? channel.participants?.find((person) => person.userId !== ownUserId) : null;
  const trust = other ? (encryption.people.value.get(other.userId) ?? "unknown") : null;
  const words = lockWords(status, crypto.readers.value, trust);

  const showGroupCode = async () => {
    if (groupCode.peek() || !channel) return (groupCode.value = null);
    groupCode.value = (await encryption.epochCodeOf(channel.id)) ?? "not available yet";
  };

  return (
    <div class={`channel-lock is-${status}${trust ? ` is-${trust}` : ""}`}>
      <Popover
        label={`Encryption: ${words.join(", ")}`}
        button={
          <>
            <Icon name={status === "unencrypted" ? "unlock" : trust === "verified" ? "shield" : "lock"} />
            <span class="lock-words">
              {words.map((word) => (
                <span key={word}>{word}</span>
              ))}
            </span>
          </>
        }
        buttonClass="icon-button lock-button"
        placement="end"
      >
        {() => (
          <div class="lock-details">
            <p>
              {status === "encrypted"
                ? "Only the members’ devices can read these messages: not the server, not its admins."
                : words.join(". ")}
            </p>
            {other && trust && status === "encrypted" && (
              <SafetyNumberPanel encryption={encryption} other={other} status={trust} />
            )}
            {!other && status === "encrypted" && (
              <button
                type="button"
                class="small"
                aria-expanded={!!groupCode.value}
                onClick={() => void showGroupCode()}
              >
                Verification code
              </button>
            )}
            {groupCode.value && (
              <p class="safety-number" data-testid="group-code">
                Every member sees the same code now: <code>{groupCode.value}</code>. It changes when someone joins or
                leaves.
              </p>
            )}
            {status === "encrypted" && (
              <button
                type="button"
                class="small"
                aria-expanded={showsReaders.value}
                onClick={() => (showsReaders.value = !showsReaders.value)}
              >
                Who can read this
              </button>
            )}
            {showsReaders.value && <GroupReaders chat={chat} encryption={encryption} ownUserId={ownUserId} />}
          </div>
        )}
      </Popover>
    </div>
  );
}

/** The lock's state in a few words: shown beside the icon on hover and focus, and its name. */
function lockWords(status: string, readers: number | null, trust: string | null): string[] {
  switch (status) {
    case "encrypted":
      return [
        "End-to-end encrypted",
        ...(trust === "trusted"
          ? ["Not verified yet"]
          : trust === "verified"
            ? ["Verified"]
            : trust === "changed"
              ? ["Key changed"]
              : []),
      ];
    case "unencrypted":
      return [`Not end-to-end encrypted: ${readers} people may read it, above the ${E2EE_MEMBERS_MAX} it supports`];
    case "waiting":
      return ["Waiting for a member’s device to add this one: it happens when a member opens this channel"];
    case "unavailable":
      return ["Encryption locked on this device"];
    default:
      return ["Setting up encryption…"];
  }
}

/**
 * What needs the person's eye under the channel's header: sending without encryption,
 * a refused message, a changed key, a problem.
 */
export function ChannelLockAlerts({
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
  const channel = chat.channel.value;
  const other = channel?.kind === "dm" ? channel.participants?.find((person) => person.userId !== ownUserId) : null;
  const trust = other ? (encryption.people.value.get(other.userId) ?? "unknown") : null;
  const refusal = crypto.refusals.value[crypto.refusals.value.length - 1];
  return (
    <div class="channel-lock is-alerts">
      {status === "unencrypted" && !crypto.isPlainConfirmed.value && (
        <p class="warning" role="alert">
          What you send here can be read by the server.{" "}
          <button type="button" class="small" onClick={() => crypto.confirmPlain()}>
            Send without end-to-end encryption
          </button>
        </p>
      )}
      {refusal && (
        <p class="warning" role="alert" data-testid="encryption-refusal">
          {sentence(refusal.reason)}{" "}
          {refusal.isRefounding
            ? "Members’ devices join again by themselves; earlier messages stay readable."
            : "Nothing you send here goes out until it is sorted out; tell the people in it another way."}
        </p>
      )}
      {other && trust === "changed" && (
        <p class="warning" role="alert">
          {other.username}’s account key changed. It happens when they start over without their recovery key — or when
          someone is impersonating them. Their new messages stay hidden until you compare safety numbers again: open the
          lock beside the conversation’s name.
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

/**
 * Who holds the keys to this channel now, read from the MLS group's own tree (not
 * from the server's member list): each person with their devices and whether you
 * verified them.
 */
function GroupReaders({ chat, encryption, ownUserId }: { chat: Chat; encryption: Encryption; ownUserId: string }) {
  const roster = chat.encryption.roster.value;
  const people = chat.people();
  const byUser = new Map<string, number>();
  for (const entry of roster) byUser.set(entry.userId, (byUser.get(entry.userId) ?? 0) + 1);
  const words: Record<string, string> = {
    verified: "verified",
    trusted: "not verified",
    changed: "key changed",
    unknown: "not verified",
  };
  return (
    <div class="group-readers" data-testid="group-readers">
      <p>Only these devices can read what is sent here now:</p>
      <ul>
        {[...byUser].map(([userId, devices]) => (
          <li key={userId}>
            {people.find((person) => person.userId === userId)?.username ?? "someone not in this channel’s list"}
            {userId === ownUserId ? " (you)" : ""}: {devices} {devices === 1 ? "device" : "devices"}
            {userId !== ownUserId && `, ${words[encryption.people.value.get(userId) ?? "unknown"]}`}
          </li>
        ))}
      </ul>
    </div>
  );
}
