/**
 * The person's encryption devices as the key directory lists them (docs/e2ee.md, "Key
 * directory"): one per signed-in session, vouched for by the account key. Joined with
 * the sessions list for a name people recognise ("Firefox on Linux", last active).
 */
import { createModel, signal } from "@preact/signals";
import type { AccountKeyView, DeviceSessionView, DeviceView, UserKeysView } from "../../../protocol/index.ts";
import { createAction } from "./action.ts";
import type { Session } from "./session.ts";

export interface EncryptionDevice {
  device: DeviceView;
  /** The session it belongs to, when still signed in. */
  session: DeviceSessionView | null;
  isThisDevice: boolean;
}

export const EncryptionDevicesModel = createModel((session: Session) => {
  const accountKey = signal<AccountKeyView | null>(null);
  const devices = signal<EncryptionDevice[]>([]);
  const isLoaded = signal(false);
  const loading = createAction();

  async function load(): Promise<void> {
    const userId = session.user.peek()?.id;
    if (!userId) return;
    const answer = await loading.run(() =>
      Promise.all([
        session.request<UserKeysView>(`/api/keys/users/${encodeURIComponent(userId)}`),
        session.request<{ sessions: DeviceSessionView[] }>("/api/sessions"),
      ]),
    );
    if (!answer) return;
    const [keys, { sessions }] = answer;
    const thisDevice = session.sessionId.peek();
    accountKey.value = keys.accountKey;
    devices.value = keys.devices
      .filter((device) => !device.isRevoked)
      .map((device) => ({
        device,
        session: sessions.find((known) => known.id === device.deviceId) ?? null,
        isThisDevice: device.deviceId === thisDevice,
      }))
      .sort((a, b) => Number(b.isThisDevice) - Number(a.isThisDevice));
    isLoaded.value = true;
  }
  void load();

  return { accountKey, devices, isLoaded, loading, load };
});

export type EncryptionDevices = InstanceType<typeof EncryptionDevicesModel>;
