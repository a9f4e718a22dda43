/**
 * The quick switcher (Ctrl/Cmd+K): a modal with one field, an ARIA combobox whose
 * listbox holds channels of every community, conversations and people, matched
 * fuzzily as one types, with mentions and unread first. ↑/↓ move, Enter opens,
 * Esc closes and puts focus back. Loaded on first use, with its fuzzy matcher.
 */
import { useEffect, useState } from "preact/hooks";
import type { Communities } from "../../models/communities.ts";
import type { Community } from "../../models/community.ts";
import type { DirectMessages } from "../../models/direct-messages.ts";
import type { Keyboard } from "../../models/keyboard.ts";
import { orderedChannels, placePath } from "../../models/keyboard-navigation.ts";
import { destinationsOf, type Destination } from "../../models/quick-switcher-directory.ts";
import { rankDestinations } from "../../models/quick-switcher-ranking.ts";
import type { Router } from "../../models/router.ts";
import type { Unread } from "../../models/unread.ts";
import { sentence } from "../sentence.ts";
import { focusComposerWhenShown } from "./focus-targets.ts";
import { SwitcherOption } from "./switcher-option.tsx";
import { useModalDialog } from "./use-modal-dialog.ts";

export interface QuickSwitcherProps {
  keyboard: Keyboard;
  router: Router;
  communities: Communities;
  community: Community | null;
  conversations: DirectMessages;
  unread: Unread;
  ownUserId: string;
}

const optionId = (row: Destination) => `switcher-option-${row.key}`;

export function QuickSwitcher(props: QuickSwitcherProps) {
  const { keyboard, router, community } = props;
  const directory = keyboard.directory;
  const ref = useModalDialog(() => keyboard.close());
  const [query, setQuery] = useState("");
  const [active, setActive] = useState(0);

  const shownCommunityId = community?.community.value?.id ?? null;
  const shownChannels = community ? orderedChannels(community.groups.value) : [];
  const destinations = destinationsOf({
    ownUserId: props.ownUserId,
    communities: props.communities.communities.value,
    channelsOf: (id) => (id === shownCommunityId ? shownChannels : directory.channelsOf(id)),
    conversations: props.conversations.conversations.value,
    people: directory.people.value,
    counts: props.unread.counts.value,
  });
  const rows = rankDestinations(destinations, query);
  const activeRow = rows[Math.min(active, rows.length - 1)];

  useEffect(() => {
    if (activeRow) document.getElementById(optionId(activeRow))?.scrollIntoView({ block: "nearest" });
  }, [activeRow?.key]);

  function choose(row: Destination): void {
    keyboard.close();
    if (row.channelId) {
      router.navigate(placePath({ channelId: row.channelId, communityId: row.communityId }));
      focusComposerWhenShown(row.channelId);
    } else if (row.userId) {
      void keyboard.messagePerson(row.userId).then(() => focusComposerWhenShown(null));
    }
  }

  function onKeyDown(event: KeyboardEvent): void {
    if (event.isComposing || rows.length === 0) return;
    const step = event.key === "ArrowDown" ? 1 : event.key === "ArrowUp" ? -1 : 0;
    if (step !== 0 && !event.altKey) {
      event.preventDefault();
      setActive((Math.min(active, rows.length - 1) + step + rows.length) % rows.length);
    } else if (event.key === "Enter" && activeRow) {
      event.preventDefault();
      choose(activeRow);
    }
  }

  const isListing = directory.isLoading.value && rows.length === 0;
  return (
    <dialog ref={ref} class="keyboard-dialog quick-switcher" aria-labelledby="switcher-heading">
      <h2 id="switcher-heading" class="visually-hidden">
        Quick switcher
      </h2>
      <label class="visually-hidden" for="switcher-input">
        Where would you like to go?
      </label>
      <input
        id="switcher-input"
        class="switcher-input"
        type="text"
        role="combobox"
        aria-expanded="true"
        aria-controls="switcher-results"
        aria-autocomplete="list"
        aria-activedescendant={activeRow ? optionId(activeRow) : undefined}
        placeholder="Where would you like to go?"
        autoComplete="off"
        spellcheck={false}
        autoFocus
        value={query}
        onInput={(event) => {
          setQuery(event.currentTarget.value);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
      />
      {directory.loadError.value && (
        <p class="error" role="alert">
          {sentence(directory.loadError.value)}
        </p>
      )}
      <ul id="switcher-results" class="switcher-results" role="listbox" aria-label="Channels, conversations and people">
        {rows.map((row) => (
          <SwitcherOption
            key={row.key}
            id={optionId(row)}
            row={row}
            isActive={row === activeRow}
            onChoose={() => choose(row)}
            onPoint={() => setActive(rows.indexOf(row))}
          />
        ))}
      </ul>
      <p class="visually-hidden" role="status">
        {isListing
          ? ""
          : rows.length === 0
            ? "No results"
            : `${rows.length} ${rows.length === 1 ? "result" : "results"}`}
      </p>
      {rows.length === 0 && (
        <p class="switcher-empty">{isListing ? "Listing your channels…" : `Nothing matches “${query.trim()}”.`}</p>
      )}
      <p class="switcher-tip">
        <strong>Tip:</strong> start with <kbd>#</kbd> for channels or <kbd>@</kbd> for people.{" "}
        <span aria-hidden="true">
          <kbd>↑</kbd> <kbd>↓</kbd> move, <kbd>Enter</kbd> opens, <kbd>Esc</kbd> closes.
        </span>
      </p>
    </dialog>
  );
}
