/**
 * Client addresses for the bench's requests. Chatalot rate-limits registration,
 * joining, socket tickets and upgrades per client address; thousands of sockets
 * from one address would be refused (429), as one abusive client should be. The
 * bench starts the server with TRUSTED_PROXIES=127.0.0.1 and sends each request
 * with an X-Forwarded-For address, as a reverse proxy in front of Chatalot would
 * for many distinct clients. Each address is used for at most its route's limit
 * and never again for that route, so no request is refused and no limit is lifted.
 */

/** Requests per address allowed by the server (functions/routes/*.ts), per route. */
const LIMITS = {
  register: 10, // an hour
  join: 30, // an hour
  ticket: 120, // a minute
  upgrade: 120, // a minute
  eventsTicket: 60, // a minute: the account socket's (functions/routes/events.ts)
  eventsUpgrade: 60, // a minute
} as const;

export type LimitedRoute = keyof typeof LIMITS;

/**
 * 198.18.0.0/15 is reserved for benchmarking (RFC 2544): 131,072 addresses that
 * belong to nobody, so the rate_limits rows the bench leaves name no real client.
 */
const FIRST_ADDRESS = (198 << 24) | (18 << 16);
const ADDRESS_COUNT = 2 ** 17;

export class ClientAddresses {
  #nextHost = 1;
  #current = new Map<LimitedRoute, { address: string; uses: number }>();

  /** The X-Forwarded-For header for one request to `route`. */
  headersFor(route: LimitedRoute): Record<string, string> {
    let slot = this.#current.get(route);
    if (!slot || slot.uses >= LIMITS[route]) {
      slot = { address: this.#allocate(), uses: 0 };
      this.#current.set(route, slot);
    }
    slot.uses++;
    return { "X-Forwarded-For": slot.address };
  }

  /** How many distinct addresses were used so far. */
  get used(): number {
    return this.#nextHost - 1;
  }

  #allocate(): string {
    if (this.#nextHost >= ADDRESS_COUNT) throw new Error("the bench ran out of client addresses");
    const value = FIRST_ADDRESS + this.#nextHost++;
    return [24, 16, 8, 0].map((shift) => (value >>> shift) & 255).join(".");
  }
}

/** What the server needs to believe the X-Forwarded-For header: the bench connects over loopback. */
export const TRUSTED_PROXY_ENV = { TRUSTED_PROXIES: "127.0.0.1" };
