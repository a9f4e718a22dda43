/**
 * Whether a channel must be end-to-end encrypted here, asked the way its chat asks it:
 * the server's word (its group, its size) checked against what this device saw
 * (e2ee/channel-policy.ts: a conversation, or a channel whose keys this device holds,
 * is encrypted whatever the server says). A call asks before choosing how to send.
 */
import { mustEncrypt, type E2eeDevice } from "../../../../e2ee/index.ts";
import type { MlsPendingView } from "../../../../protocol/index.ts";

export interface ChannelPolicy {
  isEncrypted: boolean;
  /** How many people may read the channel, as the server counts them. */
  readers: number;
}

export async function channelPolicyOf(device: E2eeDevice, channelId: string): Promise<ChannelPolicy> {
  const pending = await device.transport.request<MlsPendingView>(
    "GET",
    `/api/channels/${encodeURIComponent(channelId)}/mls/pending`,
  );
  const facts = await device.factsOf(channelId);
  const isEncrypted = mustEncrypt({
    isConversation: facts.isConversation,
    holdsKeys:
      device.groups.has(channelId) || device.historyKeysOf(channelId).size > 0 || device.history.hasArchived(channelId),
    groupExists: pending.epoch !== null,
    serverSaysEncrypted: pending.isEndToEndEncrypted,
  });
  return { isEncrypted, readers: pending.readers };
}
