/**
 * Sealing and opening message envelopes one at a time: the same code measured in Node
 * (bench/e2ee.ts) and in Chromium (bench/e2ee-browser.ts bundles this module into a page).
 */
import { createGroup, type MlsContext } from "ts-mls";
import {
  chatalotCiphersuite,
  historyKeyOf,
  newDeviceIdentity,
  newKeyPackage,
  openMessage,
  sealMessage,
} from "../../e2ee/index.ts";

export interface EnvelopeRate {
  sealedPerSecond: number;
  openedPerSecond: number;
  overheadBytes: number;
}

export async function envelopeRate(count: number, payloadBytes = 200): Promise<EnvelopeRate> {
  const cipherSuite = await chatalotCiphersuite();
  const context: MlsContext = { cipherSuite, authService: { validateCredential: async () => true } };
  const identity = await newDeviceIdentity(cipherSuite, crypto.randomUUID(), crypto.randomUUID());
  const pair = await newKeyPackage(cipherSuite, identity);
  const state = await createGroup({
    context,
    groupId: new TextEncoder().encode("envelopes"),
    keyPackage: pair.publicPackage,
    privateKeyPackage: pair.privatePackage,
  });
  const historyKey = await historyKeyOf(state, cipherSuite);
  const plaintext = crypto.getRandomValues(new Uint8Array(payloadBytes));
  const channelId = crypto.randomUUID();
  const envelopes: Uint8Array[] = [];
  const sealStarted = performance.now();
  for (let index = 0; index < count; index++) {
    envelopes.push(
      await sealMessage(cipherSuite, {
        channelId,
        epoch: 0n,
        historyKey,
        senderDeviceId: identity.deviceId,
        signKey: identity.signatureKeyPair.signKey,
        plaintext,
      }),
    );
  }
  const sealMs = performance.now() - sealStarted;
  const openStarted = performance.now();
  for (const envelope of envelopes) {
    await openMessage(cipherSuite, {
      channelId,
      historyKey,
      senderDeviceId: identity.deviceId,
      senderSignaturePublicKey: identity.signatureKeyPair.publicKey,
      envelope,
    });
  }
  const openMs = performance.now() - openStarted;
  return {
    sealedPerSecond: Math.round((count / sealMs) * 1000),
    openedPerSecond: Math.round((count / openMs) * 1000),
    overheadBytes: envelopes[0]!.length - payloadBytes,
  };
}
