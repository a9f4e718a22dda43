/**
 * In place of a message this device cannot read: why, in words (from
 * `models/encryption/undecryptable.ts`), and, when the recovery key would bring the
 * history here, a button that takes the person to where they type it.
 */
import { undecryptableCauseOf } from "../../models/encryption/undecryptable.ts";
import "./onboarding.css";

/** `reason`: the words the channel's encryption gave (null: still being opened, a moment). */
export function UndecryptableNotice({ reason }: { reason: string | null }) {
  if (reason === null) return <em class="undecryptable is-opening">Opening…</em>;
  const cause = undecryptableCauseOf(reason);
  const goToUnlock = () => {
    const field = document.getElementById("unlock-secret");
    field?.scrollIntoView({ block: "center" });
    field?.focus();
  };
  return (
    <span class={`undecryptable is-${cause}`}>
      <span aria-hidden="true" class="undecryptable-icon">
        {cause === "waiting" || cause === "before-joined" ? "⏳" : "🔒"}
      </span>{" "}
      <em>{reason}</em>
      {cause === "locked" && (
        <>
          {" "}
          <button type="button" class="small" onClick={goToUnlock}>
            Enter recovery key
          </button>
        </>
      )}
    </span>
  );
}
