/**
 * Settings > Encryption: the key backup (set it up, or change the recovery key, through
 * the onboarding's "Save your recovery key" step), this browser and the person's other
 * devices as the key directory lists them, whom they verified, and search's index on
 * this device (on or off, cleared). Unlocking a locked device or starting over happen
 * in the encryption banner, shown here too when needed.
 */
import { useModel } from "@preact/signals";
import type { Encryption } from "../../models/encryption/encryption.ts";
import { askForRecoveryKeyStep, recoveryKeyStep } from "../../models/encryption/onboarding.ts";
import { EncryptionDevicesModel } from "../../models/encryption-devices.ts";
import { profiles } from "../../models/profiles.ts";
import type { SearchEngine } from "../../models/search/search-types.ts";
import type { Session } from "../../models/session.ts";
import { deviceInWords } from "../device-words.ts";
import { EncryptionBanner } from "../encryption-banner.tsx";
import { FormError } from "../form-error.tsx";
import { PersonName } from "../people/person-name.tsx";
import { SearchSettingsCard } from "../search/search-settings-card.tsx";
import { dateTimeInWords, timeAgoInWords } from "../time-words.ts";

export function EncryptionSection(props: { session: Session; encryption: Encryption; searchEngine: SearchEngine }) {
  const { session, encryption } = props;
  const state = encryption.state.value;
  // The recovery key step itself shows above every section (settings-page.tsx).
  const needsBanner = recoveryKeyStep.value === null && (state.kind !== "ready" || !!encryption.problem.value);
  return (
    <>
      {needsBanner && <EncryptionBanner encryption={encryption} />}
      <BackupCard encryption={encryption} />
      <DevicesCard session={session} />
      <VerifiedPeopleCard encryption={encryption} />
      <SearchSettingsCard engine={props.searchEngine} />
    </>
  );
}

function BackupCard({ encryption }: { encryption: Encryption }) {
  const state = encryption.state.value;
  const hasBackup = encryption.hasBackup.value;
  const isReady = state.kind === "ready";
  const ask = () => askForRecoveryKeyStep({ userId: encryption.ownUserId(), password: null, reason: "asked" });
  let words: string;
  if (state.kind === "starting") words = "Encryption is starting on this device…";
  else if (!isReady) words = "This device cannot read your encrypted messages yet: see above.";
  else if (!hasBackup)
    words =
      "Not set up. Your message history exists only on your devices: signing out or losing them loses it. Set up a recovery key to keep it.";
  else if (encryption.hasRecoveryHere.value)
    words =
      "Set up, and kept current from this browser. With your recovery key, any new device reads your history, and it also resets your password.";
  else words = "Set up on another of your devices. This device reads your history with it.";

  return (
    <section class="card" aria-labelledby="backup-heading">
      <h2 id="backup-heading">Key backup</h2>
      <p class="backup-state">
        <span class={hasBackup ? "tag is-verified" : "tag is-key-changed"}>{hasBackup ? "On" : "Off"}</span> {words}
      </p>
      {isReady && recoveryKeyStep.value === null && (
        <button type="button" class={hasBackup ? undefined : "primary"} onClick={ask}>
          {hasBackup ? "Change recovery key" : "Set up recovery key"}
        </button>
      )}
      {hasBackup && isReady && (
        <p class="hint">A new recovery key replaces the old one, which stops working: keep the new one safe.</p>
      )}
    </section>
  );
}

function DevicesCard({ session }: { session: Session }) {
  const model = useModel(() => new EncryptionDevicesModel(session));
  const key = model.accountKey.value;
  return (
    <section class="card" aria-labelledby="devices-heading">
      <h2 id="devices-heading">Your devices</h2>
      <p class="hint">
        Each browser you sign in with is a device with keys of its own, vouched for by your account key
        {key ? ` (since ${dateTimeInWords(key.createdAt)})` : ""}. Signing out of a session removes its device.
      </p>
      <FormError id="devices-error" error={model.loading.error.value} />
      <ul class="device-list" aria-labelledby="devices-heading">
        {model.devices.value.map(({ device, session: signedIn, isThisDevice }) => (
          <li key={device.deviceId} class="device-item">
            <span class="device-name">
              {signedIn ? deviceInWords(signedIn) : "A device"}
              {isThisDevice && <span class="tag">This browser</span>}
            </span>
            <span class="hint">
              {signedIn ? `Active ${timeAgoInWords(signedIn.lastSeenAt)}` : "Session not listed"}
              {device.isSignedByCurrentKey ? " · vouched for by your account key" : " · from before your key changed"}
            </span>
          </li>
        ))}
      </ul>
      {model.isLoaded.value && model.devices.value.length === 0 && (
        <p class="hint">No device has set up encryption yet.</p>
      )}
    </section>
  );
}

function VerifiedPeopleCard({ encryption }: { encryption: Encryption }) {
  const people = [...encryption.people.value].filter(([, status]) => status === "verified" || status === "changed");
  return (
    <section class="card" aria-labelledby="verification-heading">
      <h2 id="verification-heading">Verification</h2>
      <p class="hint">
        To be sure you talk with the right person, open your conversation with them and choose “Safety number”: compare
        it with theirs in person or on a call you trust. Their devices may change; the number does not, unless their
        account key does.
      </p>
      {people.length === 0 ? (
        <p>You have not verified anyone yet.</p>
      ) : (
        <ul class="plain-list" aria-labelledby="verification-heading">
          {people.map(([userId, status]) => (
            <li key={userId}>
              <PersonName userId={userId} fallback={profiles.usernameOf(userId) ?? "Someone"} />{" "}
              <span class={status === "verified" ? "tag is-verified" : "tag is-key-changed"}>
                {status === "verified" ? "verified" : "key changed: compare again"}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
