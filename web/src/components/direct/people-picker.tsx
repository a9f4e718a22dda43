/**
 * Choosing people: a search box, the people found (each a checkbox, so Space and
 * Tab choose them), and the chosen ones as chips with a remove button each. The
 * count of how many more fit is said in words.
 */
import type { PeoplePicker } from "../../models/people-picker.ts";
import { Avatar } from "../avatar.tsx";
import { sentence } from "../sentence.ts";

export function PeoplePickerFields({ picker, id }: { picker: PeoplePicker; id: string }) {
  const chosen = picker.chosen.value;
  const chosenIds = picker.chosenIds.value;
  const results = picker.results.value;
  const room = picker.room.value;
  const error = picker.searchError.value;
  return (
    <div class="people-picker">
      {chosen.length > 0 && (
        <ul class="picked-people" aria-label="Chosen people">
          {chosen.map((person) => (
            <li key={person.userId} class="picked-person">
              <Avatar name={person.username} id={person.userId} url={person.avatarUrl} size="small" isDecorative />
              <span>{person.displayName ?? person.username}</span>
              <button
                type="button"
                class="chip-remove"
                aria-label={`Remove ${person.username}`}
                title={`Remove ${person.username}`}
                onClick={() => picker.remove(person.userId)}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <label for={`${id}-search`}>Find people you share a community with</label>
      <input
        id={`${id}-search`}
        type="search"
        autoComplete="off"
        maxLength={64}
        placeholder="Type a name"
        value={picker.query.value}
        onInput={(event) => (picker.query.value = (event.currentTarget as HTMLInputElement).value)}
        aria-describedby={`${id}-room`}
      />
      <p id={`${id}-room`} class="hint" aria-live="polite">
        {room === 0 ? "The conversation is full." : `You can choose ${room} more ${room === 1 ? "person" : "people"}.`}
      </p>
      {error && (
        <p class="error" role="alert">
          {sentence(error)}
        </p>
      )}
      <fieldset class="picker-results">
        <legend class="visually-hidden">People found</legend>
        {results.length === 0 && !picker.isSearching.value && !error && (
          <p class="hint">Nobody found: only people in a community with you can be messaged.</p>
        )}
        {results.map((person) => {
          const isChosen = chosenIds.has(person.userId);
          return (
            <label key={person.userId} class={isChosen ? "picker-person is-chosen" : "picker-person"}>
              <input
                type="checkbox"
                checked={isChosen}
                disabled={!isChosen && room === 0}
                onChange={() => picker.toggle(person)}
              />
              <Avatar name={person.username} id={person.userId} url={person.avatarUrl} size="small" isDecorative />
              <span class="picker-name">
                {person.displayName ?? person.username}
                {person.displayName && <span class="picker-username">{person.username}</span>}
              </span>
            </label>
          );
        })}
      </fieldset>
    </div>
  );
}
