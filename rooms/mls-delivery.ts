/**
 * The room's part of the MLS delivery service: commits and re-foundings are stored in
 * the room's write order (so they reach the sockets after the messages stored before
 * them) and relayed to every admitted socket; the group's epoch is read once per wake
 * and moved by each of them, since every commit goes through this room.
 */
import { query, type QueryInput, type QueryOutput } from "../db/index.ts";
import { bytesToBase64, MLS_HANDSHAKE_COMMIT_MAX_BYTES, type ServerFrame } from "../protocol/index.ts";

type MlsCommitInput = QueryInput<"appendMlsCommit">;
type MlsCommitResult = QueryOutput<"appendMlsCommit">;
type MlsRefoundInput = QueryInput<"refoundMlsGroup">;
type MlsRefoundResult = QueryOutput<"refoundMlsGroup">;

export class MlsDelivery {
  #epoch: Promise<number | null> | undefined;

  readonly channelId: string;
  readonly database: Env["DATABASE"];
  readonly enqueue: <T>(work: () => Promise<T>) => Promise<T>;
  readonly relay: (message: string) => void;
  constructor(
    channelId: string,
    database: Env["DATABASE"],
    enqueue: <T>(work: () => Promise<T>) => Promise<T>,
    relay: (message: string) => void,
  ) {
    this.channelId = channelId;
    this.database = database;
    this.enqueue = enqueue;
    this.relay = relay;
  }

  /** The group's epoch (a new group starts at 0), or null when the channel has none. */
  epoch(): Promise<number | null> {
    if (!this.#epoch) {
      const loading = query(this.database, "mlsGroup", { channelId: this.channelId }).then(
        (group) => group?.epoch ?? null,
      );
      // A failed read is not remembered: the next envelope tries again.
      loading.catch(() => {
        if (this.#epoch === loading) this.#epoch = undefined;
      });
      this.#epoch = loading;
    }
    return this.#epoch;
  }

  /**
   * A commit (verified by the handler) built on the group's current epoch is stored (one
   * per epoch: the first wins), then relayed: with its bytes when small, else clients
   * fetch it from the log.
   */
  async acceptCommit(input: MlsCommitInput): Promise<MlsCommitResult> {
    const result = await this.enqueue(() => query(this.database, "appendMlsCommit", input));
    if (result.ok) {
      this.#epoch = Promise.resolve(result.epoch);
      const isInline = input.commit.length <= MLS_HANDSHAKE_COMMIT_MAX_BYTES;
      const frame = {
        type: "handshake",
        epoch: input.epoch,
        ...(isInline ? { commit: bytesToBase64(input.commit) } : {}),
        committerDeviceId: input.committerDeviceId,
      } satisfies ServerFrame;
      // To every admitted socket, the committer's too: a client skips epochs it is past.
      this.relay(JSON.stringify(frame));
    }
    return result;
  }

  /**
   * A member's device founds the group again (verified by the handler); the frame carries
   * no commit: members read the group again, find the new generation and join it.
   */
  async refound(input: MlsRefoundInput & { committerDeviceId: string }): Promise<MlsRefoundResult> {
    const { committerDeviceId, ...refounding } = input;
    const result = await this.enqueue(() => query(this.database, "refoundMlsGroup", refounding));
    if (result.ok) {
      this.#epoch = Promise.resolve(result.group.epoch);
      const frame = { type: "handshake", epoch: 0, committerDeviceId } satisfies ServerFrame;
      this.relay(JSON.stringify(frame));
    }
    return result;
  }
}
