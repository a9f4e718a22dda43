/**
 * The client's IP address. The connection's own address comes from workerd
 * (`request.cf.clientIp`, self-hosted) or the platform's CF-Connecting-IP (wrangler,
 * Cloudflare). X-Forwarded-For is believed only when that address belongs to a
 * configured trusted proxy, and then only up to the first hop that is not one.
 */
import type { Context } from "hono";
import ipaddr from "ipaddr.js";
import type { Config } from "./config.ts";

export function clientAddress(c: Context, config: Config): string | null {
  const socket = socketAddress(c);
  if (!socket || !isTrusted(socket, config)) return socket;
  const hops = (c.req.header("X-Forwarded-For") ?? "")
    .split(",")
    .map((hop) => normalize(hop.trim()))
    .filter((hop): hop is string => hop !== null);
  // Walk from the nearest hop outwards; the first untrusted one is the client.
  for (let index = hops.length - 1; index >= 0; index--) {
    if (!isTrusted(hops[index]!, config)) return hops[index]!;
  }
  return hops[0] ?? socket;
}

/** Whether the connection itself comes from a configured trusted proxy (whose headers are believed). */
export function isFromTrustedProxy(c: Context, config: Config): boolean {
  const socket = socketAddress(c);
  return socket !== null && isTrusted(socket, config);
}

/** The connection's own address, whoever it is: workerd's, or the platform's header. */
function socketAddress(c: Context): string | null {
  const cf = (c.req.raw as { cf?: { clientIp?: unknown } }).cf;
  return normalize(typeof cf?.clientIp === "string" ? cf.clientIp : c.req.header("CF-Connecting-IP"));
}

/** Whether `address` lies in one of `ranges` (addresses in both IPv4 and IPv4-mapped IPv6 spelling). */
export function isInRanges(address: string | null, ranges: Config["TRUSTED_PROXIES"]): boolean {
  const normalized = normalize(address);
  if (!normalized) return false;
  const parsed = ipaddr.parse(normalized);
  return ranges.some(([range, bits]) => parsed.kind() === range.kind() && parsed.match(range, bits));
}

function isTrusted(address: string, config: Config): boolean {
  return isInRanges(address, config.TRUSTED_PROXIES);
}

/** A bare IP from "ip", "ip:port", "[v6]:port"; IPv4-mapped IPv6 becomes IPv4. Null if not an address. */
function normalize(value: string | undefined | null): string | null {
  if (!value) return null;
  let candidate = value.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(candidate);
  if (bracketed) candidate = bracketed[1]!;
  else if (/^[\d.]+:\d+$/.test(candidate)) candidate = candidate.slice(0, candidate.lastIndexOf(":"));
  if (!ipaddr.isValid(candidate)) return null;
  const parsed = ipaddr.parse(candidate);
  if (parsed.kind() === "ipv6" && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    return (parsed as ipaddr.IPv6).toIPv4Address().toString();
  }
  return parsed.toString();
}
