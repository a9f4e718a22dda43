/**
 * The bench's accounts, registered in the background in number order while sockets
 * already connect: registration costs ~0.3 s each in the password hasher (its own
 * workerd process), so for 10,000 sockets (334 accounts) waiting for all of them first
 * would add two minutes. A socket waits only for the account it is dealt.
 */
import type { Account } from "./chatalot-api.ts";

/**
 * Registrations in flight at once: the hasher has one thread, so more only queue
 * there, and the server's thread stays free for the sockets.
 */
const REGISTER_CONCURRENCY = 3;
/** Sockets are dealt round-robin within groups of this many accounts (see accountFor). */
const GROUP_ACCOUNTS = 20;

export class AccountPool {
  readonly count: number;
  readonly socketsPerAccount: number;
  readonly #accounts: Promise<Account>[];
  readonly #settled: Promise<unknown>;

  /** `create(index)` registers account `index` (and whatever else it needs, e.g. joining). */
  constructor(count: number, socketsPerAccount: number, first: Account, create: (index: number) => Promise<Account>) {
    this.count = count;
    this.socketsPerAccount = socketsPerAccount;
    const waiting = Array.from({ length: count }, () => deferred<Account>());
    this.#accounts = waiting.map(({ promise }) => promise);
    // A failure surfaces where the account is awaited; this only keeps it from being "unhandled".
    for (const account of this.#accounts) account.catch(() => {});
    waiting[0]!.resolve(first);
    let next = 1;
    const worker = async () => {
      for (let index = next++; index < count; index = next++) {
        await create(index).then(waiting[index]!.resolve, waiting[index]!.reject);
      }
    };
    this.#settled = Promise.all(Array.from({ length: REGISTER_CONCURRENCY }, worker));
  }

  /**
   * The account of socket `slot`. Sockets are dealt round-robin within groups of 20
   * accounts (600 sockets): the 20 members of a channel are 20 different people, no
   * account gets more than its share, and the first group's sockets connect while
   * later accounts are still being registered.
   */
  accountFor(slot: number): Promise<Account> {
    const groupSockets = GROUP_ACCOUNTS * this.socketsPerAccount;
    const lastGroup = Math.floor((this.count - 1) / GROUP_ACCOUNTS);
    const first = Math.min(Math.floor(slot / groupSockets), lastGroup) * GROUP_ACCOUNTS;
    const size = Math.min(GROUP_ACCOUNTS, this.count - first);
    return this.#accounts[first + (slot % size)]!;
  }

  async all(): Promise<Account[]> {
    await this.#settled;
    return Promise.all(this.#accounts);
  }
}

/** Promise.withResolvers, which the type-checking library (es2023) does not know yet. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((fulfil, fail) => {
    resolve = fulfil;
    reject = fail;
  });
  return { promise, resolve, reject };
}
