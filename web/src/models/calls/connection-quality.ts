/**
 * A peer connection's quality in one word, from its statistics: the selected
 * candidate pair's round-trip time and the share of inbound packets lost since the
 * last look. The thresholds follow what people notice in a conversation.
 */
export type ConnectionQuality = "good" | "fair" | "poor";

const GOOD_RTT_S = 0.15;
const FAIR_RTT_S = 0.4;
const GOOD_LOSS = 0.02;
const FAIR_LOSS = 0.08;

export interface PacketCounts {
  received: number;
  lost: number;
}

/** The quality now, and the counts to compare with next time (null quality: nothing measured yet). */
export async function measureQuality(
  connection: RTCPeerConnection,
  previous: PacketCounts | null,
): Promise<{ quality: ConnectionQuality | null; counts: PacketCounts }> {
  const report = await connection.getStats();
  let rtt: number | null = null;
  const counts: PacketCounts = { received: 0, lost: 0 };
  report.forEach((stat: { type: string; [key: string]: unknown }) => {
    if (stat.type === "candidate-pair" && stat.nominated && typeof stat.currentRoundTripTime === "number") {
      rtt = stat.currentRoundTripTime;
    }
    if (stat.type === "inbound-rtp") {
      counts.received += Number(stat.packetsReceived ?? 0);
      counts.lost += Math.max(0, Number(stat.packetsLost ?? 0));
    }
  });
  const received = counts.received - (previous?.received ?? 0);
  const lost = counts.lost - (previous?.lost ?? 0);
  const loss = received + lost > 0 ? lost / (received + lost) : 0;
  if (rtt === null) return { quality: null, counts };
  const quality =
    rtt <= GOOD_RTT_S && loss <= GOOD_LOSS ? "good" : rtt <= FAIR_RTT_S && loss <= FAIR_LOSS ? "fair" : "poor";
  return { quality, counts };
}
