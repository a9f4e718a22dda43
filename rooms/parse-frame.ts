/**
 * Every inbound frame is parsed against the protocol schema before anything else
 * looks at it: binary, oversized, malformed or unknown frames become an error frame
 * with a stable code, and nothing about them is stored or broadcast.
 */
import { clientFrameSchema, SOCKET_FRAME_MAX_BYTES, type ClientFrame, type ServerFrame } from "../protocol/index.ts";

export function parseFrame(raw: unknown): ClientFrame | { error: ServerFrame } {
  const error = (code: "frame_too_large" | "malformed_frame" | "invalid_frame", message: string) => ({
    error: { type: "error", code, message } satisfies ServerFrame,
  });
  if (typeof raw !== "string") return error("malformed_frame", "frames are JSON text, not binary");
  if (raw.length > SOCKET_FRAME_MAX_BYTES) {
    return error("frame_too_large", `frames are limited to ${SOCKET_FRAME_MAX_BYTES} bytes`);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return error("malformed_frame", "the frame is not valid JSON");
  }
  const parsed = clientFrameSchema.safeParse(json);
  if (!parsed.success) {
    return error(
      "invalid_frame",
      parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; "),
    );
  }
  return parsed.data;
}
