/**
 * Who may register: the registration mode, and the invites an `invite_only`
 * server needs (expiry, maximum uses, revocable). A new invite's code and link are
 * shown once: the server keeps only a hash.
 */
import { createModel, signal } from "@preact/signals";
import { createInviteSchema, type InviteView } from "../../../../protocol/index.ts";
import { createAction } from "../../../src/models/action.ts";
import type { AdminApi } from "./admin-api.ts";
import type { CreatedInviteView, RegistrationMode } from "./admin-views.ts";

export const RegistrationModel = createModel((api: AdminApi) => {
  const mode = signal<RegistrationMode | null>(null);
  const invites = signal<InviteView[]>([]);
  const loading = createAction();
  const modeChange = createAction();
  const creating = createAction();
  const revoking = createAction();
  /** The invite just created: its link is shown until the next one. */
  const created = signal<CreatedInviteView | null>(null);
  /** The invite whose revocation waits for a confirmation. */
  const confirmingRevoke = signal<string | null>(null);
  const notice = signal<string | null>(null);

  async function load(): Promise<void> {
    const answer = await loading.run(() =>
      Promise.all([
        api.get<{ mode: RegistrationMode }>("/api/admin/registration-mode"),
        api.get<{ invites: InviteView[] }>("/api/admin/invites"),
      ]),
    );
    if (!answer) return;
    mode.value = answer[0].mode;
    invites.value = answer[1].invites;
  }

  return {
    mode,
    invites,
    loading,
    modeChange,
    creating,
    revoking,
    created,
    confirmingRevoke,
    notice,
    load,
    async setMode(next: RegistrationMode): Promise<void> {
      notice.value = null;
      const answer = await modeChange.run(() =>
        api.put<{ mode: RegistrationMode }>("/api/admin/registration-mode", { mode: next }),
      );
      if (answer) mode.value = answer.mode;
    },
    /** `expiresInHours` and `maxUses` as chosen in the form; empty means never and unlimited. */
    async create(expiresInHours: string, maxUses: string): Promise<void> {
      notice.value = null;
      const parsed = createInviteSchema.safeParse({
        ...(expiresInHours ? { expiresInHours: Number(expiresInHours) } : {}),
        ...(maxUses.trim() ? { maxUses: Number(maxUses) } : {}),
      });
      if (!parsed.success) {
        creating.fail("the number of uses must be a whole number from 1 to 10,000, or empty for no limit");
        return;
      }
      const answer = await creating.run(() => api.post<CreatedInviteView>("/api/admin/invites", parsed.data));
      if (!answer) return;
      created.value = answer;
      invites.value = [answer.invite, ...invites.peek()];
    },
    async copyLink(): Promise<void> {
      const link = created.peek()?.link;
      if (!link) return;
      try {
        await navigator.clipboard.writeText(link);
        notice.value = "the invite link is copied: send it to the person you are inviting";
      } catch {
        notice.value = "the browser did not allow copying: select the link and copy it yourself";
      }
    },
    askRevoke(inviteId: string) {
      revoking.reset();
      confirmingRevoke.value = inviteId;
    },
    cancelRevoke() {
      confirmingRevoke.value = null;
    },
    async revoke(inviteId: string): Promise<void> {
      const path = `/api/admin/invites/${encodeURIComponent(inviteId)}`;
      if ((await revoking.run(async () => (await api.delete(path), true))) === null) return;
      confirmingRevoke.value = null;
      notice.value = "the invite is revoked: nobody can register with it any more";
      if (created.peek()?.invite.id === inviteId) created.value = null;
      await load();
    },
  };
});

export type Registration = InstanceType<typeof RegistrationModel>;
