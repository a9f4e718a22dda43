/**
 * The list of completions above the composer's field (Discord's "Emoji matching
 * :thu"): an ARIA listbox whose chosen option the field names as its active
 * descendant, so screen readers follow the arrow keys while focus stays in the text.
 * A click inserts a row without taking focus from the field.
 */
import { Avatar } from "../avatar.tsx";
import type { CompletionTrigger } from "./completion-trigger.ts";
import type { Completion } from "./use-completion.ts";
import type { Suggestion } from "./suggestions.ts";

export const optionId = (listId: string, suggestion: Suggestion) => `${listId}-${suggestion.key}`;

export function suggestionsTitle(trigger: CompletionTrigger): string {
  if (trigger.kind === "emoji") return `Emoji matching :${trigger.query}`;
  if (trigger.kind === "channel") return trigger.query ? `Channels matching #${trigger.query}` : "Channels";
  return trigger.query ? `Members matching @${trigger.query}` : "Members";
}

/** `id`: the listbox's, which the field names in aria-controls. */
export function SuggestionList({ id, completion }: { id: string; completion: Completion }) {
  const { trigger, suggestions, activeIndex } = completion;
  if (!trigger || suggestions.length === 0) return null;
  const title = suggestionsTitle(trigger);
  return (
    <div class="composer-suggestions">
      <p class="composer-suggestions-title" aria-hidden="true">
        {title}
      </p>
      <ul role="listbox" id={id} aria-label={title}>
        {suggestions.map((suggestion, index) => (
          <li
            key={suggestion.key}
            id={optionId(id, suggestion)}
            role="option"
            aria-selected={index === activeIndex}
            class={index === activeIndex ? "composer-suggestion is-active" : "composer-suggestion"}
            // The field keeps focus (and its caret): a press here must not blur it.
            onPointerDown={(event) => event.preventDefault()}
            onPointerMove={() => index !== activeIndex && completion.setActiveIndex(index)}
            onClick={() => completion.choose(suggestion)}
          >
            <SuggestionIcon suggestion={suggestion} />
            <span class="composer-suggestion-label">{suggestion.label}</span>
            {suggestion.detail && <span class="composer-suggestion-detail">{suggestion.detail}</span>}
          </li>
        ))}
      </ul>
      <p class="composer-suggestions-hint" aria-hidden="true">
        ↑↓ to choose · Enter or Tab to insert · Esc to close
      </p>
    </div>
  );
}

function SuggestionIcon({ suggestion }: { suggestion: Suggestion }) {
  const { icon } = suggestion;
  if (icon.kind === "person")
    return (
      <Avatar
        name={icon.person.username}
        id={icon.person.userId}
        url={icon.person.avatarUrl}
        size="small"
        isDecorative
      />
    );
  return (
    <span class={`composer-suggestion-icon is-${icon.kind}`} aria-hidden="true">
      {icon.kind === "emoji" ? icon.emoji : icon.text}
    </span>
  );
}
