/**
 * End-to-end encryption for the signed-in person: this browser session is one
 * device. At sign-in it comes back from IndexedDB, or is set up (cross-signed by
 * the account key this browser holds, or a new account key for a first device),
 * or waits for the recovery key when the account's key lives only in its backup.
 * Every step with the device runs one at a time (and one tab at a time, by a Web
 * Lock), and its state is saved after each; with recovery set up here, the backup
 * follows every new history key (a routine rewrite the session alone may make; a new
 * recovery key or passphrase, or a new account key, takes the account password).
 */
import { createModel, effect, signal } from "@preact/signals";
import type { CiphersuiteImpl } from "ts-mls";
import {
  accountKeysFrom,
  accountRecoveryCode,
  backupVersions,
  chatalotCiphersuite,
  E2eeDevice,
  epochCode,
  equalBytes,
  failureOf,
  fetchBackup,
  lockedAccountKeys,
  newBackupWriter,
  newRecoveryKey,
  openAccountKeyBox,
  openBackup,
  parseRecoveryKey,
  passphraseProblem,
  rawPublicKey,
  recoveryKeyText,
  restoreInto,
  safetyNumber,
  safetyQrPayload,
  storeBackup,
  unlockNewestBackup,
  wrapWithPassphrase,
  writerFromBackup,
  type BackupWriter,
  type KeyChangeProof,
  type DeviceSnapshot,
  type DeviceTransport,
  type RosterChange,
  type TrustStatus,
} from "../../../../e2ee/index.ts";
import { base64ToBytes, bytesToBase64, type UserKeysView } from "../../../../protocol/index.ts";
import type { AccountEvents } from "../account-events.ts";
import { createAction } from "../action.ts";
import { describeError } from "../api-client.ts";
import type { Session } from "../session.ts";
import { qrCodeImageUrl } from "../qr-code.ts";
import {
  loadAccount,
  loadDevice,
  readEnvelopes,
  saveAccount as saveAccountOf,
  saveDevice,
  setDeviceAside,
  type LegacyRecovery,
  type StoredAccount,
} from "./device-store.ts";
import { takeKeyToUnlockWith } from "./onboarding.ts";

/** What the person sees to compare with someone: the safety number, as digits and as a QR code. */
export interface SafetyNumber {
  digits: string;
  qrCodeUrl: string;
  /** The other person's account key the number was computed over (what a decision trusts). */
  accountKey: Uint8Array;
}

export type EncryptionState =
  | { kind: "starting" }
  | { kind: "ready" }
  /** The account key is in the backup only: the recovery key (or passphrase) unlocks this device. */
  | { kind: "locked"; hasPassphrase: boolean }
  /** The account has a key elsewhere and no backup: only starting over (a new key) unlocks this device. */
  | { kind: "unrecoverable" }
  | { kind: "failed"; reason: string };

/** Upload more KeyPackages when fewer than this many wait on the server (it says so below 10 after a claim). */
const KEY_PACKAGES_LOW = 10;
/** How many one-time KeyPackages a top-up brings the stock back to. */
const KEY_PACKAGES_STOCK = 20;
const KEY_PACKAGES_BATCH = 5;
const BACKUP_DELAY_MS = 1_000;
/** After news about encryption, the stock and the backup's key are looked at once things settle. */
const NEWS_CHECK_DELAY_MS = 2_000;

export const EncryptionModel = createModel((session: Session, events: AccountEvents) => {
  const userId = session.user.peek()?.id ?? "";
  const deviceId = session.sessionId.peek() ?? "";
  const state = signal<EncryptionState>({ kind: "starting" });
  /** Recovery is set up and kept current from this browser. */
  const hasRecoveryHere = signal(false);
  /** The account has a backup (set up here or on another device). */
  const hasBackup = signal(false);
  /** Shown once, right after set-up: the recovery key in words. */
  const shownRecoveryKey = signal<string | null>(null);
  const problem = signal<string | null>(null);
  const settingUp = createAction();
  const unlocking = createAction();
  const startingOver = createAction();
  /** Something about encryption changed (a key arrived, the device was unlocked): readers look again. */
  const changes = signal(0);
  /** Whom the person trusts, verified, or saw change their key: by user id. */
  const people = signal<ReadonlyMap<string, TrustStatus>>(new Map());
  /** Changes of groups' rosters this device took, from the commits themselves: each channel shows its own. */
  const rosterChanges = signal<readonly RosterChange[]>([]);
  /**
   * The group generation and epoch this device is in, by channel ("generation:epoch"; a
   * group founded again restarts at epoch 0), read after every step: a call takes each
   * new epoch's media secret from it (`media-secrets.ts`), whichever socket brought the commit.
   */
  const groupEpochs = signal<ReadonlyMap<string, string>>(new Map());
  const transport: DeviceTransport = {
    request: (method, path, body) => session.request(path, { method, body }),
  };
  let cipherSuite: CiphersuiteImpl;
  let device: E2eeDevice | null = null;
  let version = 0;
  let account: StoredAccount | undefined;
  let newsTimer: ReturnType<typeof setTimeout> | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  let backupTimer: ReturnType<typeof setTimeout> | undefined;
  /** What the last backup held: the history keys' count and the latest trust decision. */
  let backedUp = "";
  let readyWaiters: (() => void)[] = [];
  const saveAccount = (next: StoredAccount) => saveAccountOf(userId, next, deviceId);
  /** The backup writer kept here, once any browser from before key ids has been upgraded. */
  const writer = () => (account?.recovery && "keyId" in account.recovery ? account.recovery : null);

  const lockName = `chatalot-e2ee-${deviceId}`;
  const exclusive = <T>(work: () => Promise<T>): Promise<T> =>
    navigator.locks ? (navigator.locks.request(lockName, work) as Promise<T>) : work();

  /**
   * Runs `work` with the device, after every earlier step, under the tab-wide lock;
   * picks up what another tab saved, and saves what changed.
   */
  function run<T>(work: (device: E2eeDevice) => Promise<T>): Promise<T> {
    const step = queue.then(() =>
      exclusive(async () => {
        const ready = await whenReady();
        const stored = await loadDevice(deviceId);
        if (stored && stored.version !== version) {
          device = revive(stored.snapshot);
          version = stored.version;
        }
        try {
          return await work(device ?? ready);
        } finally {
          await save();
        }
      }),
    );
    queue = step.catch(() => undefined);
    return step;
  }

  /** The device from its saved state, remembering the envelopes it read in IndexedDB (replays stay caught after a reload). */
  const revive = (snapshot: DeviceSnapshot) => withStorage(E2eeDevice.fromSnapshot(transport, cipherSuite, snapshot));
  /** The envelopes it read kept in IndexedDB, and its state saved before each step it sends the delivery service. */
  const withStorage = (target: E2eeDevice) => {
    target.useReplayLog(readEnvelopes).checkpoint = save;
    target.onRosterChange = (change) => (rosterChanges.value = [...rosterChanges.peek(), change].slice(-500));
    return target;
  };

  async function save(): Promise<void> {
    if (!device) return;
    people.value = device.trust.statuses();
    noteGroupEpochs(device);
    version += 1;
    await saveDevice(deviceId, { version, snapshot: device.snapshot() });
    scheduleBackup();
  }

  function noteGroupEpochs(current: E2eeDevice): void {
    const next = new Map<string, string>();
    for (const [channelId, group] of current.groups) {
      if (current.isMember(channelId)) next.set(channelId, `${group.generation}:${group.state.groupContext.epoch}`);
    }
    const held = groupEpochs.peek();
    const isSame = next.size === held.size && [...next].every(([channelId, epoch]) => held.get(channelId) === epoch);
    if (!isSame) groupEpochs.value = next;
  }

  function whenReady(): Promise<E2eeDevice> {
    if (device && state.peek().kind === "ready") return Promise.resolve(device);
    return new Promise((resolve) => readyWaiters.push(() => resolve(device!)));
  }

  function becomeReady(next: E2eeDevice): void {
    device = withStorage(next);
    people.value = next.trust.statuses();
    state.value = { kind: "ready" };
    changes.value++;
    const waiters = readyWaiters;
    readyWaiters = [];
    for (const wake of waiters) wake();
  }

  async function start(): Promise<void> {
    cipherSuite = await chatalotCiphersuite();
    let stored = await loadDevice(deviceId);
    account = await loadAccount(userId);
    const backup = await fetchBackup(transport);
    hasBackup.value = !!backup;
    // Keys under an account key the person has since replaced (they started over elsewhere) are set aside.
    const listed = (await session.request<UserKeysView>(`/api/keys/users/${userId}`)).accountKey;
    const isCurrent = async (keys: CryptoKeyPair) =>
      !listed || equalBytes(await rawPublicKey(keys), base64ToBytes(listed.publicKey));
    if (stored && !(await isCurrent(stored.snapshot.accountKeys))) {
      await setDeviceAside(deviceId);
      stored = undefined;
    }
    if (account && !(await isCurrent(account.accountKeys))) account = undefined;
    if (account?.recovery && "recoveryKey" in account.recovery) await upgradeRecovery(account.recovery);
    hasRecoveryHere.value = !!account?.recovery;
    if (stored) {
      version = stored.version;
      const restored = revive(stored.snapshot);
      await topUpKeyPackages(restored);
      return becomeReady(restored);
    }
    if (account) {
      // Signed in again in this browser: a new device under the same account key, reading from the backup.
      const created = await register(account.accountKeys);
      const kept = writer();
      if (kept && backup) {
        try {
          if (backup.keyId !== kept.keyId) throw new Error("another recovery key");
          restoreInto(created, await openBackup(kept.contentKey, base64ToBytes(backup.backup)));
          await saveDevice(deviceId, { version: ++version, snapshot: created.snapshot() });
        } catch {
          problem.value = "your key backup no longer opens with the recovery key kept here: set up recovery again";
        }
      }
      return becomeReady(created);
    }
    if (!listed) return becomeReady(await register(null));
    state.value = backup ? { kind: "locked", hasPassphrase: !!backup.passphraseWrap } : { kind: "unrecoverable" };
    // The recovery page was just given the recovery key: it unlocks this device too, without asking again.
    const handedOver = takeKeyToUnlockWith(userId);
    if (handedOver && backup) void unlocking.run(() => restore({ recoveryKey: handedOver }));
  }

  /** Sets this session up as a device under `accountKeys` (a new account key when null), and saves it. */
  async function register(accountKeys: CryptoKeyPair | null): Promise<E2eeDevice> {
    const created = await E2eeDevice.register(
      transport,
      cipherSuite,
      { userId, deviceId },
      { keyPackages: KEY_PACKAGES_BATCH, ...(accountKeys && { accountKeys }) },
    );
    account = { accountKeys: created.accountKeys, recovery: account?.recovery ?? null };
    await saveAccount(account);
    version = 1;
    await saveDevice(deviceId, { version, snapshot: created.snapshot() });
    return created;
  }

  /** Brings the one-time KeyPackages on the server back to `KEY_PACKAGES_STOCK` when they ran low. */
  async function topUpKeyPackages(target: E2eeDevice): Promise<void> {
    const stock = await session.request<{ available: number }>("/api/keys/devices/current/key-packages");
    if (stock.available < KEY_PACKAGES_LOW) await target.uploadKeyPackages(KEY_PACKAGES_STOCK - stock.available);
  }

  /**
   * A browser from before key ids kept the recovery key itself: it keeps a writer instead
   * (content key, non-extractable; the account key's box), and the account key locked.
   */
  async function upgradeRecovery(legacy: LegacyRecovery): Promise<void> {
    const upgraded = await newBackupWriter(legacy.recoveryKey, account!.accountKeys, legacy.passphraseWrap);
    account = { accountKeys: await lockedKeys(legacy.recoveryKey, upgraded), recovery: upgraded };
    await saveAccount(account);
  }

  /** The account key pair with its private key non-extractable, out of the box the backup holds. */
  async function lockedKeys(recoveryKey: Uint8Array, kept: BackupWriter): Promise<CryptoKeyPair> {
    const pkcs8 = await openAccountKeyBox(recoveryKey, kept.accountKeyBox);
    return lockedAccountKeys(pkcs8, await rawPublicKey(account!.accountKeys));
  }

  /**
   * After news about encryption (a claim left this device low on KeyPackages, or the backup
   * got a new recovery key from another session): tops up, and stops keeping a backup
   * this browser's key no longer opens.
   */
  async function checkAfterNews(): Promise<void> {
    if (state.peek().kind !== "ready") return;
    await run((current) => topUpKeyPackages(current));
    const kept = writer();
    if (!kept) return;
    const latest = (await backupVersions(transport)).find((entry) => entry.isLatest);
    if (latest && latest.keyId !== null && latest.keyId !== kept.keyId) {
      account = { accountKeys: account!.accountKeys, recovery: null };
      await saveAccount(account);
      hasRecoveryHere.value = false;
      problem.value =
        "your key backup was given a new recovery key or passphrase from another session: this browser no longer updates it. If that was not you, change your password and set up recovery again";
    }
  }

  function scheduleBackup(): void {
    if (!writer() || !device) return;
    const keys = [...device.groups.keys(), ...device.restoredHistory.keys()].reduce(
      (total, channelId) => total + device!.historyKeysOf(channelId).size,
      0,
    );
    const mark = `${keys}:${device.trust.latestDecision()}`;
    if (mark === backedUp) return;
    clearTimeout(backupTimer);
    backupTimer = setTimeout(() => void backUp(mark), BACKUP_DELAY_MS);
  }

  /**
   * Writes the backup under the recovery key kept here (the session is enough); when
   * another device wrote in between, takes its keys in first and writes again. A latest
   * version that does not open with this key (damaged, or written over) is written over:
   * the server keeps the earlier ones.
   */
  async function backUp(mark: string): Promise<void> {
    const kept = writer();
    if (!kept) return;
    try {
      await run(async (current) => {
        for (let attempt = 0; attempt < 3; attempt++) {
          const stored = await fetchBackup(transport);
          if (stored && stored.keyId === kept.keyId) {
            const content = await openBackup(kept.contentKey, base64ToBytes(stored.backup)).catch(() => null);
            if (content) restoreInto(current, content);
          }
          try {
            await storeBackup(transport, current, kept, stored?.version ?? 0);
            backedUp = mark;
            hasBackup.value = true;
            return;
          } catch (error) {
            if (failureOf(error)?.code !== "backup_changed") throw error;
          }
        }
      });
    } catch (error) {
      problem.value =
        failureOf(error)?.code === "password_required"
          ? "your key backup now uses another recovery key, set from another session: this browser no longer updates it"
          : `your key backup could not be updated: ${describeError(error)}`;
    }
  }

  // Another device of the person was set up or signed out, or a Welcome waits: readers look again.
  effect(() =>
    events.listen((news) => {
      if (news.type !== "changed" || news.scope !== "e2ee") return;
      changes.value++;
      clearTimeout(newsTimer);
      newsTimer = setTimeout(() => void checkAfterNews().catch(() => undefined), NEWS_CHECK_DELAY_MS);
    }),
  );
  effect(() => () => {
    clearTimeout(backupTimer);
    clearTimeout(newsTimer);
  });
  void start().catch((error: unknown) => {
    state.value = { kind: "failed", reason: describeError(error) };
  });

  /**
   * Sets up recovery: a new recovery key (shown once), optionally wrapped by a
   * passphrase; the backup is written now (the password confirms it: a new recovery key)
   * and kept current from this browser. The account key goes into the backup's box once,
   * then is kept here non-extractable. The account recovery code becomes the one derived
   * from the key, so the key alone also resets the password: one secret to keep.
   */
  async function setUpRecovery(passphrase: string | null, proof: KeyChangeProof): Promise<void> {
    if (passphrase) {
      const username = session.user.peek()?.username ?? "";
      const why = await passphraseProblem(passphrase, { password: proof.password, username });
      if (why) throw new Error(why);
    }
    const recoveryKey = newRecoveryKey();
    const passphraseWrap = passphrase ? await wrapWithPassphrase(recoveryKey, passphrase) : null;
    await run(async (current) => {
      const made = await newBackupWriter(recoveryKey, current.accountKeys, passphraseWrap);
      const stored = await fetchBackup(transport);
      await storeBackup(transport, current, made, stored?.version ?? 0, proof).catch(explainProofFailure);
      account = { accountKeys: await lockedKeys(recoveryKey, made), recovery: made };
      await saveAccount(account);
      // This device holds the account key locked from now on too.
      device = revive({ ...current.snapshot(), accountKeys: account.accountKeys });
    });
    const recoveryCode = await accountRecoveryCode(recoveryKey);
    await session
      .request("/api/account/recovery-code", { method: "POST", body: { ...proof, recoveryCode } })
      .catch(explainProofFailure);
    hasRecoveryHere.value = true;
    hasBackup.value = true;
    problem.value = null;
    shownRecoveryKey.value = recoveryKeyText(recoveryKey);
  }

  /**
   * Unlocks this device from the backup: the account key, whom the person trusts, every
   * history key. The newest version that opens and holds the listed account key is used.
   */
  async function restore(secret: { recoveryKey: string } | { passphrase: string }): Promise<void> {
    let opening: { recoveryKey: Uint8Array } | { passphrase: string };
    if ("recoveryKey" in secret) {
      const recoveryKey = parseRecoveryKey(secret.recoveryKey);
      if (!recoveryKey) throw new Error("that is not a recovery key: it has 52 letters and digits");
      opening = { recoveryKey };
    } else opening = secret;
    const listed = (await session.request<UserKeysView>(`/api/keys/users/${userId}`)).accountKey;
    const holdsListedKey = (content: { accountKey: { publicKey: string } }) =>
      listed?.publicKey === content.accountKey.publicKey;
    const unlocked = await unlockNewestBackup(transport, opening, holdsListedKey).catch((error: unknown) => {
      if (error instanceof Error && error.message.startsWith("no version")) {
        throw new Error("this backup holds an account key you replaced by starting over: start over here too");
      }
      throw new Error(`that ${"recoveryKey" in secret ? "recovery key" : "passphrase"} does not open your backup`);
    });
    if (!unlocked) throw new Error("this account has no key backup");
    const wrap = unlocked.stored.passphraseWrap ? base64ToBytes(unlocked.stored.passphraseWrap) : null;
    account = {
      accountKeys: await accountKeysFrom(unlocked.content, unlocked.recoveryKey),
      recovery: await writerFromBackup(unlocked.recoveryKey, unlocked.content, wrap),
    };
    const created = await register(account.accountKeys);
    restoreInto(created, unlocked.content);
    await saveDevice(deviceId, { version: ++version, snapshot: created.snapshot() });
    hasRecoveryHere.value = true;
    becomeReady(created);
  }

  /**
   * Starts over with a new account key (the password confirms it): people are told it
   * changed, the backup under the old key is set aside, recovery is set up again.
   */
  async function startOver(proof: KeyChangeProof, options: { signOutOthers: boolean }): Promise<void> {
    const keys = (await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"])) as CryptoKeyPair;
    const publicKey = bytesToBase64(await rawPublicKey(keys));
    await session
      .request("/api/keys/account", { method: "PUT", body: { publicKey, ...proof } })
      .catch(explainProofFailure);
    // By default every other session goes too: a stolen device under the old key is cut off.
    if (options.signOutOthers) await session.request("/api/sessions/revoke-others", { method: "POST" });
    account = undefined;
    hasBackup.value = false;
    hasRecoveryHere.value = false;
    becomeReady(await register(keys));
  }

  return {
    ownUserId: () => userId,
    username: () => session.user.peek()?.username ?? "",
    state,
    hasRecoveryHere,
    hasBackup,
    shownRecoveryKey,
    problem,
    changes,
    run,
    settingUp,
    unlocking,
    startingOver,
    setUpRecovery: (passphrase: string | null, proof: KeyChangeProof) =>
      settingUp.run(() => setUpRecovery(passphrase, proof)),
    dismissRecoveryKey() {
      shownRecoveryKey.value = null;
    },
    restore: (secret: { recoveryKey: string } | { passphrase: string }) => unlocking.run(() => restore(secret)),
    startOver: (proof: KeyChangeProof, options = { signOutOthers: true }) =>
      startingOver.run(() => startOver(proof, options)),
    /** Whether the person has two-factor on: a key change then asks for a code too. */
    needsTwoFactorCode: () => !!session.user.peek()?.hasTwoFactor,
    /** The safety number between the person and `otherUserId`, over the account keys the directory lists. */
    async safetyNumberWith(otherUserId: string): Promise<SafetyNumber | null> {
      const current = await whenReady();
      const accountKey = (await current.directory(otherUserId))?.accountKey;
      if (!accountKey) return null;
      const own = { userId, accountKey: await rawPublicKey(current.accountKeys) };
      const other = { userId: otherUserId, accountKey };
      const [digits, payload] = await Promise.all([safetyNumber(own, other), safetyQrPayload(own, other)]);
      return { digits, qrCodeUrl: await qrCodeImageUrl(payload), accountKey };
    },
    /**
     * Trusts the key behind a safety number the person saw: verified when they compared
     * it; accepting a changed key unverified is also theirs to choose. Messages refused
     * under the old key are read again.
     */
    async decideTrust(otherUserId: string, number: SafetyNumber, verified: boolean): Promise<void> {
      await run((current) => current.decideTrust(otherUserId, number.accountKey, verified));
      changes.value++;
    },
    people,
    rosterChanges,
    groupEpochs,
    /** The channel group's code for this epoch, the same on every member's device (null when not a member). */
    epochCodeOf: (channelId: string) =>
      run(async (current) => {
        const group = current.groups.get(channelId);
        return group ? epochCode(group.state.keySchedule.epochAuthenticator) : null;
      }),
  };
});

export type Encryption = InstanceType<typeof EncryptionModel>;

/** A refused password or code, in the words the form shows. */
function explainProofFailure(error: unknown): never {
  const code = failureOf(error)?.code;
  if (code === "wrong_password") throw new Error("that is not your account password");
  if (code === "two_factor_required" || code === "invalid_two_factor_code") {
    throw new Error("enter the current code from your authenticator app");
  }
  throw error;
}
