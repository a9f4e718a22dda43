/**
 * MLS values to bytes and back, for the wire (messages, KeyPackages, Welcomes,
 * GroupInfos) and for a device's saved state.
 */
import {
  clientStateDecoder,
  clientStateEncoder,
  decode,
  encode,
  mlsMessageDecoder,
  mlsMessageEncoder,
  type ClientState,
  type MlsMessage,
} from "ts-mls";

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
