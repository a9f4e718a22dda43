/**
 * Settings > Privacy & safety: what blocking does, and the people one has blocked
 * with unblock (live: a block made on another device shows here at once).
 */
import { blocksOf } from "../../models/blocks.ts";
import type { Session } from "../../models/session.ts";
import { Avatar } from "../avatar.tsx";
import "../direct/direct.css";
import { sentence } from "../sentence.ts";
import { dateTimeInWords } from "../time-words.ts";

export function PrivacySection({ session }: { session: Session }) {
  const blocks = blocksOf(session);
  const blocked = blocks.blocked.value;
  const loadError = blocks.loadError.value;
  const changeError = blocks.changing.error.value;
  return (
    <section class="card" aria-labelledby="blocked-heading">
      <h2 id="blocked-heading">Blocked people</h2>
      <p class="hint">
        Someone you block cannot start a conversation with you, and your direct messages with them become read-only for
        both of you. They are not told. Group DMs and the communities you share are not changed. Block someone from
        their profile card or from your conversation’s menu.
      </p>
      {loadError && (
        <p class="error" role="alert">
          {sentence(loadError)}
        </p>
      )}
      {changeError && (
        <p class="error" role="alert">
          {sentence(changeError)}
        </p>
      )}
      {blocked.length > 0 ? (
        <ul class="blocked-people" aria-labelledby="blocked-heading">
          {blocked.map((person) => (
            <li key={person.userId} class="blocked-person">
              <Avatar name={person.username} id={person.userId} url={null} size="small" isDecorative />
              <span class="blocked-name">
                {person.username}
                <span class="blocked-since">Blocked {dateTimeInWords(person.createdAt)}</span>
              </span>
              <button
                type="button"
                disabled={blocks.changing.isBusy.value}
                onClick={() => void blocks.unblock(person.userId)}
              >
                Unblock {person.username}
              </button>
            </li>
          ))}
        </ul>
      ) : (
        blocks.isLoaded.value && <p class="hint">You have not blocked anyone.</p>
      )}
    </section>
  );
}
