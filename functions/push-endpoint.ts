/**
 * Which push subscription endpoints the server will ever send to. The server posts
 * to whatever address a browser hands it, so without these rules it would be a
 * request forger: https only, on the default port, to a public host name or a public
 * address; never loopback, private, link-local or unique-local addresses, nor
 * `localhost`, `.local`, `.internal` or one-label names (which resolve inside a
 * Docker network). Self-hosted, the network service pushes leave through reaches
 * public addresses only, which covers a public name that resolves to a private one.
 */
import ipaddr from "ipaddr.js";
import type { Config } from "./config.ts";

/** Names that only mean something inside one network (RFC 6761, 6762, 8375; ICANN's .internal). */
const LOCAL_SUFFIXES = [".localhost", ".local", ".internal", ".localdomain", ".home.arpa", ".lan", ".intranet"];

/** Why this endpoint is refused, in words for the 400; null when it is acceptable. */
export function endpointProblem(endpoint: string, config: Config): string | null {
  if (!URL.canParse(endpoint)) return "endpoint must be a URL";
  const url = new URL(endpoint);
  // Tests only: the one fake push service on loopback (config.ts refuses it with an https PUBLIC_URL).
  if (config.PUSH_TEST_SERVICE_ORIGIN && url.origin === config.PUSH_TEST_SERVICE_ORIGIN) return null;
  if (url.protocol !== "https:") return "endpoint must be an https URL";
  if (url.username || url.password) return "endpoint must not carry a user name or password";
  if (url.port !== "") return "endpoint must use the default https port";
  // `localhost.` is `localhost`: a trailing dot only makes a name fully qualified.
  const host = url.hostname
    .replace(/^\[|\]$/g, "")
    .replace(/\.+$/, "")
    .toLowerCase();
  if (ipaddr.isValid(host)) {
    let address = ipaddr.parse(host);
    if (address.kind() === "ipv6" && (address as ipaddr.IPv6).isIPv4MappedAddress()) {
      address = (address as ipaddr.IPv6).toIPv4Address();
    }
    return address.range() === "unicast" ? null : "endpoint must not point at a private or local address";
  }
  if (!host.includes(".") || host === "localhost" || LOCAL_SUFFIXES.some((suffix) => host.endsWith(suffix))) {
    return "endpoint must name a public push service";
  }
  return null;
}
