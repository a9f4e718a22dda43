/**
 * MLS values to bytes and back, for the wire (messages, KeyPackages, Welcomes,
 * GroupInfos) and for a device's saved state, and who sits at which leaf.
 */
import {
  clientStateDecoder,
  clientStateEncoder,
  decode,
  encode,
  mlsMessageDecoder,
  mlsMessageEncoder,
  nodeTypes,
  type ClientState,
  type MlsMessage,
} from "ts-mls";
import { credentialOwner } from "./mls-device.ts";

export const encodeMlsMessage = (message: MlsMessage): Uint8Array => encode(mlsMessageEncoder, message);

export function decodeMlsMessage(bytes: Uint8Array): MlsMessage {
  const message = decode(mlsMessageDecoder, bytes);
  if (!message) throw new Error("not an MLS message");
  return message;
}

export const encodeState = (state: ClientState): Uint8Array => encode(clientStateEncoder, state);

export function decodeState(bytes: Uint8Array): ClientState {
  const state = decode(clientStateDecoder, bytes);
  if (!state) throw new Error("not a saved group state");
  return state;
}

/** Each member device's leaf index, by device id (from the credentials in the tree). */
export function leavesOf(state: ClientState): Map<string, number> {
  const leaves = new Map<string, number>();
  state.ratchetTree.forEach((node, index) => {
    if (node?.nodeType !== nodeTypes.leaf) return;
    const owner = credentialOwner(node.leaf.credential);
    if (owner) leaves.set(owner.deviceId, index / 2);
  });
  return leaves;
}
