/** Registration invites, newest first: how long each lasts, how often it was used, revoking one. */
import type { InviteView } from "../../../../protocol/index.ts";
import { FormError } from "../../../src/components/form-error.tsx";
import { dateTimeInWords } from "../../../src/components/time-words.ts";
import type { Registration } from "../models/registration-model.ts";
import { ConfirmChange } from "./confirm-change.tsx";

function stateOf(invite: InviteView, now: number): string {
  if (invite.revokedAt) return "Revoked";
  if (invite.expiresAt && Date.parse(invite.expiresAt) <= now) return "Expired";
  if (invite.maxUses !== null && invite.uses >= invite.maxUses) return "Used up";
  return "Active";
}

export function InviteList({ registration }: { registration: Registration }) {
  const invites = registration.invites.value;
  const confirming = invites.find((invite) => invite.id === registration.confirmingRevoke.value);
  const now = Date.now();
  if (invites.length === 0) return <p>No invites yet.</p>;
  return (
    <>
      <table class="data" aria-label="Invites">
        <thead>
          <tr>
            <th scope="col">Created</th>
            <th scope="col">Expires</th>
            <th scope="col">Uses</th>
            <th scope="col">State</th>
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {invites.map((invite) => {
            const state = stateOf(invite, now);
            const created = dateTimeInWords(invite.createdAt);
            return (
              <tr key={invite.id}>
                <th scope="row" data-label="Created">
                  {created}
                </th>
                <td data-label="Expires" class="nowrap">
                  {invite.expiresAt ? dateTimeInWords(invite.expiresAt) : "Never"}
                </td>
                <td data-label="Uses" class="nowrap">
                  {invite.uses} of {invite.maxUses ?? "unlimited"}
                </td>
                <td data-label="State" class="nowrap">
                  {state}
                </td>
                <td data-label="Actions">
                  {state === "Active" && confirming?.id !== invite.id && (
                    <button type="button" class="small" onClick={() => registration.askRevoke(invite.id)}>
                      Revoke…<span class="visually-hidden"> the invite created {created}</span>
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {confirming && (
        <ConfirmChange
          id="revoke-invite"
          question={`Revoke the invite created ${dateTimeInWords(confirming.createdAt)}?`}
          consequence="Its link stops working at once; accounts already created with it stay."
          confirmLabel="Revoke invite"
          isBusy={registration.revoking.isBusy.value}
          onConfirm={() => void registration.revoke(confirming.id)}
          onCancel={() => registration.cancelRevoke()}
        />
      )}
      <FormError id="revoke-invite-error" error={registration.revoking.error.value} />
    </>
  );
}
