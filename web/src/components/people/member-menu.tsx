/**
 * A member's actions, behind a "…" button (and right click on the list row that holds
 * it), as Discord's member menu: Profile, Message, then Time out or Remove time-out,
 * Kick and Ban, only those the viewer may take on that person (models/moderation.ts).
 * Time out, kick and ban open a form that says what will happen (moderation-dialog.tsx).
 * Mounted by the member list and by the profile card.
 */
import { useEffect, useLayoutEffect, useRef } from "preact/hooks";
import { useModel, useSignal } from "@preact/signals";
import type { Community } from "../../models/community.ts";
import { MemberModerationModel } from "../../models/moderation.ts";
import { openDirectMessage, profileCard } from "../../models/profile-card.ts";
import type { Router } from "../../models/router.ts";
import type { Session } from "../../models/session.ts";
import { FormError } from "../form-error.tsx";
import { sentence } from "../sentence.ts";
import { Icon } from "../shell/icons.tsx";
import { ModerationDialog } from "./moderation-dialog.tsx";
import "./moderation.css";

export interface MemberMenuProps {
  session: Session;
  router: Router;
  community: Community;
  userId: string;
  /** The name the row shows: the menu's label says whose actions these are. */
  name: string;
  /** Inside the profile card: no "Profile" item (it is open), and the card's own Message button. */
  isInCard?: boolean;
}

export function MemberMenu({ session, router, community, userId, name, isInCard = false }: MemberMenuProps) {
  const moderation = useModel(() => new MemberModerationModel(session, community, userId));
  const isOpen = useSignal(false);
  const root = useRef<HTMLDivElement>(null);
  const trigger = useRef<HTMLButtonElement>(null);
  const messaging = useSignal<string | null>(null);
  const isSelf = session.user.value?.id === userId;
  const label = `Actions for ${name}`;

  const open = () => {
    void moderation.loadRoles();
    messaging.value = null;
    isOpen.value = true;
  };
  const close = (returnsFocus = true) => {
    if (!isOpen.peek()) return;
    isOpen.value = false;
    if (returnsFocus) trigger.current?.focus();
  };

  // Right click on the row that holds the menu (a member list's line) opens it too.
  useEffect(() => {
    const row = isInCard ? null : root.current?.closest("li");
    if (!row) return;
    const onContextMenu = (event: MouseEvent) => {
      event.preventDefault();
      open();
    };
    row.addEventListener("contextmenu", onContextMenu);
    return () => row.removeEventListener("contextmenu", onContextMenu);
  }, [isInCard]);

  // A form closed (cancelled or done): back to the button, as a menu's choice would.
  const form = moderation.form.value;
  const hadForm = useRef(false);
  useEffect(() => {
    if (hadForm.current && !form) trigger.current?.focus();
    hadForm.current = form !== null;
  }, [form]);

  // A layout effect, as the shell's Popover: focus and keys are in place as the panel shows.
  useLayoutEffect(() => {
    if (!isOpen.value) return;
    const panel = root.current?.querySelector<HTMLElement>(".member-menu-panel");
    const items = () => [...(panel?.querySelectorAll<HTMLElement>(".menu-item") ?? [])];
    items()[0]?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") {
        event.stopPropagation();
        event.preventDefault();
        return close();
      }
      if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
      event.preventDefault();
      const list = items();
      const at = list.indexOf(document.activeElement as HTMLElement);
      const step = event.key === "ArrowDown" ? 1 : -1;
      list[(at + step + list.length) % list.length]?.focus();
    };
    const onPointer = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) close(false);
    };
    panel?.addEventListener("keydown", onKey);
    document.addEventListener("pointerdown", onPointer);
    return () => {
      panel?.removeEventListener("keydown", onKey);
      document.removeEventListener("pointerdown", onPointer);
    };
  }, [isOpen.value]);

  const choose = (action: () => void) => {
    close(false);
    action();
  };
  const message = async () => {
    const failure = await openDirectMessage(session, router, userId);
    if (failure) {
      messaging.value = failure;
      isOpen.value = true;
    }
  };
  const actions = moderation.actions.value;
  const communityName = community.community.value?.name ?? "this community";
  const isLoadingRoles = moderation.roles.value === null;
  const rolesError = moderation.rolesError.value;

  return (
    <div class="popover member-menu" ref={root}>
      <button
        ref={trigger}
        type="button"
        class="icon-button member-menu-button"
        aria-label={label}
        title={label}
        aria-expanded={isOpen.value}
        aria-haspopup="dialog"
        onClick={() => (isOpen.peek() ? close() : open())}
      >
        <Icon name="more" />
      </button>
      {isOpen.value && (
        <div class="popover-panel is-end member-menu-panel" role="dialog" aria-label={label}>
          <ul class="menu" aria-label={label}>
            {!isInCard && (
              <li>
                <button
                  type="button"
                  class="menu-item"
                  onClick={() =>
                    choose(() =>
                      profileCard.open({
                        userId,
                        communityId: community.community.peek()?.id ?? null,
                        fallbackName: name,
                        anchor: trigger.current,
                      }),
                    )
                  }
                >
                  Profile
                </button>
              </li>
            )}
            {!isSelf && !isInCard && (
              <li>
                <button type="button" class="menu-item" onClick={() => choose(() => void message())}>
                  Message
                </button>
              </li>
            )}
            {actions.canTimeOut && !actions.isTimedOut && (
              <li>
                <button
                  type="button"
                  class="menu-item is-danger"
                  onClick={() => choose(() => moderation.open("timeout"))}
                >
                  Time out {name}…
                </button>
              </li>
            )}
            {actions.canTimeOut && actions.isTimedOut && (
              <li>
                <button
                  type="button"
                  class="menu-item"
                  onClick={async () => {
                    if (await moderation.removeTimeout()) close();
                  }}
                >
                  Remove time-out
                </button>
              </li>
            )}
            {actions.canKick && (
              <li>
                <button type="button" class="menu-item is-danger" onClick={() => choose(() => moderation.open("kick"))}>
                  Kick {name}…
                </button>
              </li>
            )}
            {actions.canBan && (
              <li>
                <button type="button" class="menu-item is-danger" onClick={() => choose(() => moderation.open("ban"))}>
                  Ban {name}…
                </button>
              </li>
            )}
          </ul>
          {isLoadingRoles && !isSelf && !rolesError && <p class="hint member-menu-hint">Checking what you may do…</p>}
          {rolesError && !isSelf && (
            <div class="member-menu-hint">
              <p class="error" role="alert">
                Could not load your actions. {sentence(rolesError)}
              </p>
              <button type="button" class="menu-item" onClick={() => void moderation.loadRoles()}>
                Try again
              </button>
            </div>
          )}
          {isInCard && actions.limit && actions.limit !== "self" && (
            <p class="hint member-menu-hint">{limitInWords(actions.limit, name, communityName)}</p>
          )}
          <FormError
            id={`member-menu-error-${userId}`}
            error={messaging.value ?? (form ? null : moderation.acting.error.value)}
          />
        </div>
      )}
      {form && <ModerationDialog moderation={moderation} name={name} communityName={communityName} />}
    </div>
  );
}

/** Why the viewer may not moderate this person, in the card's menu where nothing else is offered. */
function limitInWords(limit: "owner" | "hierarchy" | "permission", name: string, communityName: string): string {
  switch (limit) {
    case "owner":
      return `${name} owns ${communityName}: nobody can time out, kick or ban them.`;
    case "hierarchy":
      return `${name}’s highest role is not below yours: you cannot moderate them.`;
    case "permission":
      return `You may not time out, kick or ban members of ${communityName}.`;
  }
}
