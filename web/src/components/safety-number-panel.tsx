/**
 * Comparing keys with the other person of a conversation: the safety number as
 * digits and as a QR code, and the decision that follows — mark them verified
 * (after comparing), remove the mark, or accept a changed key. The number is over
 * both account keys, so it stays the same when either adds a device.
 */
import { useSignal } from "@preact/signals";
import type { TrustStatus } from "../../../e2ee/index.ts";
import { createAction } from "../models/action.ts";
import type { Encryption, SafetyNumber } from "../models/encryption/encryption.ts";
import { FormError } from "./form-error.tsx";

export function SafetyNumberPanel({
  encryption,
  other,
  status,
}: {
  encryption: Encryption;
  other: { userId: string; username: string };
  status: TrustStatus;
}) {
  const number = useSignal<SafetyNumber | null | "none">(null);
  const deciding = useSignal(createAction()).value;

  const show = async () => {
    if (number.peek()) return (number.value = null);
    number.value = (await deciding.run(() => encryption.safetyNumberWith(other.userId))) ?? "none";
  };
  const decide = (verified: boolean) => {
    const shown = number.peek();
    if (!shown || shown === "none") return;
    void deciding.run(async () => {
      await encryption.decideTrust(other.userId, shown, verified);
      number.value = null;
    });
  };
  const shown = number.value;

  return (
    <>
      <button type="button" class="small" aria-expanded={!!shown} onClick={() => void show()}>
        {status === "changed" ? "Compare the new safety number" : "Safety number"}
      </button>
      {shown === "none" && <p>{other.username} has not set up encryption yet.</p>}
      {shown && shown !== "none" && (
        <div class="safety-number" data-testid="safety-number">
          <p>
            Compare with {other.username}, in person or on a call you trust: <code>{shown.digits}</code>
          </p>
          <img class="qr-code" src={shown.qrCodeUrl} width={200} height={200} alt="The safety number as a QR code" />
          <p class="actions">
            {status !== "verified" && (
              <button type="button" class="primary" onClick={() => decide(true)} disabled={deciding.isBusy.value}>
                They match: mark {other.username} verified
              </button>
            )}
            {status === "changed" && (
              <button type="button" class="secondary" onClick={() => decide(false)} disabled={deciding.isBusy.value}>
                Accept the new key without comparing
              </button>
            )}
            {status === "verified" && (
              <button type="button" class="secondary" onClick={() => decide(false)} disabled={deciding.isBusy.value}>
                Remove the verified mark
              </button>
            )}
          </p>
        </div>
      )}
      <FormError id={`trust-error-${other.userId}`} error={deciding.error.value} />
    </>
  );
}
