/**
 * Community settings > Roles: which role is open, its unsaved changes (name, colour,
 * grouping, permissions), the deletion being confirmed, and the role being dragged.
 * Saving sends only what changed; the server's refusal stays in `roles.changing.error`.
 */
import { computed, createModel, effect, signal } from "@preact/signals";
import type { PermissionName, RoleView } from "../../../protocol/index.ts";
import type { Roles } from "./roles.ts";

interface Draft {
  name: string;
  color: number | null;
  hoist: boolean;
  permissions: string[];
}

const draftOf = (role: RoleView): Draft => ({
  name: role.name,
  color: role.color,
  hoist: role.hoist,
  permissions: [...role.permissions],
});

const samePermissions = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((name) => b.includes(name));

export const RoleEditorModel = createModel((roles: Roles) => {
  const selectedId = signal<string | null>(null);
  const draft = signal<Draft | null>(null);
  const isConfirmingDelete = signal(false);
  /** The role picked up by the mouse, while it is dragged. */
  const draggedId = signal<string | null>(null);
  const selected = computed(() => roles.roles.value.find((role) => role.id === selectedId.value) ?? null);
  const changes = computed(() => {
    const role = selected.value;
    const now = draft.value;
    if (!role || !now) return {};
    const changed: Partial<Draft> = {};
    if (now.name.trim() !== role.name) changed.name = now.name.trim();
    if (now.color !== role.color) changed.color = now.color;
    if (now.hoist !== role.hoist) changed.hoist = now.hoist;
    if (!samePermissions(now.permissions, role.permissions)) changed.permissions = now.permissions;
    return changed;
  });
  const isDirty = computed(() => Object.keys(changes.value).length > 0);

  // Someone else's change to the open role shows at once, unless there are unsaved changes here.
  let shownRole: RoleView | null = null;
  effect(() => {
    const role = selected.value;
    if (role !== shownRole && !isDirty.peek()) draft.value = role ? draftOf(role) : null;
    shownRole = role;
    if (!role && selectedId.peek() !== null && roles.roles.value.length > 0) selectedId.value = null;
  });

  const edit = (change: Partial<Draft>) => {
    if (draft.peek()) draft.value = { ...draft.peek()!, ...change };
  };

  function open(roleId: string) {
    selectedId.value = roleId;
    const role = roles.roles.peek().find((each) => each.id === roleId);
    draft.value = role ? draftOf(role) : null;
    isConfirmingDelete.value = false;
    roles.changing.reset();
  }

  return {
    selectedId,
    selected,
    draft,
    isDirty,
    isConfirmingDelete,
    draggedId,
    open,
    close() {
      selectedId.value = null;
      draft.value = null;
    },
    setName: (name: string) => edit({ name }),
    setColor: (color: number | null) => edit({ color }),
    setHoist: (hoist: boolean) => edit({ hoist }),
    setPermission(name: PermissionName, isOn: boolean) {
      const now = draft.peek()?.permissions ?? [];
      edit({ permissions: isOn ? [...new Set([...now, name])] : now.filter((each) => each !== name) });
    },
    reset() {
      const role = selected.peek();
      draft.value = role ? draftOf(role) : null;
      roles.changing.reset();
    },
    async save(): Promise<boolean> {
      const role = selected.peek();
      if (!role || !isDirty.peek()) return false;
      const sent = changes.peek();
      const saved = await roles.update(role.id, sent);
      if (saved) {
        const fresh = roles.roles.peek().find((each) => each.id === role.id);
        draft.value = fresh ? draftOf(fresh) : null;
      }
      return saved;
    },
    async create(): Promise<void> {
      const id = await roles.create();
      if (id) open(id);
    },
    async remove(): Promise<boolean> {
      const role = selected.peek();
      if (!role) return false;
      const removed = await roles.remove(role.id);
      if (removed) {
        isConfirmingDelete.value = false;
        selectedId.value = null;
        draft.value = null;
      }
      return removed;
    },
    /** Drops the dragged role where `targetId` is: it takes that place, the others shift. */
    async drop(targetId: string): Promise<boolean> {
      const moving = draggedId.peek();
      draggedId.value = null;
      if (!moving || moving === targetId) return false;
      const ids = roles.roles
        .peek()
        .filter((role) => !role.isEveryone)
        .map((role) => role.id);
      const to = ids.indexOf(targetId);
      if (to < 0) return false;
      ids.splice(ids.indexOf(moving), 1);
      ids.splice(to, 0, moving);
      return roles.reorder(ids);
    },
  };
});

export type RoleEditor = InstanceType<typeof RoleEditorModel>;
