/**
 * The fake push service (test/support/push-service.ts) on a worker thread of its own,
 * for bench/push.ts. Checking a push's VAPID signature and decrypting it costs a few
 * milliseconds of CPU; the server sends twenty at once each second, and on the bench's
 * own event loop those bursts held up the acks it was timing, counting against pushes
 * what was the bench's own work. Here the main thread only hears, per push, which
 * device got which message and when.
 */
import { isMainThread, parentPort, Worker } from "node:worker_threads";
import type { PushDevice } from "../test/support/push-service.ts";

/** What the bench needs of a push that arrived: whose, which message, when. */
export interface ArrivedPush {
  deviceId: string;
  seq: number;
  at: number;
}

type Request = { id: number; kind: "device"; label: string } | { id: number; kind: "key"; publicKey: string };
type Report =
  | { kind: "ready"; origin: string }
  | { kind: "answer"; id: number; device?: PushDevice }
  | { kind: "push"; push: ArrivedPush }
  | { kind: "rejected"; reason: string };

export interface ThreadedPushService {
  origin: string;
  expectVapidKey(publicKey: string): Promise<void>;
  device(label: string): Promise<PushDevice>;
  received(deviceId?: string): ArrivedPush[];
  rejected: string[];
  stop(): Promise<void>;
}

export async function startThreadedPushService(): Promise<ThreadedPushService> {
  const worker = new Worker(new URL(import.meta.url));
  const arrived: ArrivedPush[] = [];
  const rejected: string[] = [];
  const answers = new Map<number, (device?: PushDevice) => void>();
  let nextId = 0;
  const origin = await new Promise<string>((resolve, reject) => {
    worker.once("error", reject);
    worker.on("message", (report: Report) => {
      if (report.kind === "ready") resolve(report.origin);
      else if (report.kind === "push") arrived.push(report.push);
      else if (report.kind === "rejected") rejected.push(report.reason);
      else answers.get(report.id)?.(report.device);
    });
  });
  const ask = (request: Omit<Request, "id"> & { kind: Request["kind"] }) =>
    new Promise<PushDevice | undefined>((resolve) => {
      const id = ++nextId;
      answers.set(id, (device) => {
        answers.delete(id);
        resolve(device);
      });
      worker.postMessage({ ...request, id });
    });
  return {
    origin,
    rejected,
    async expectVapidKey(publicKey) {
      await ask({ kind: "key", publicKey } as Request);
    },
    async device(label) {
      return (await ask({ kind: "device", label } as Request))!;
    },
    received: (deviceId) => arrived.filter((push) => deviceId === undefined || push.deviceId === deviceId),
    async stop() {
      await worker.terminate();
    },
  };
}

if (!isMainThread) {
  const { startPushService } = await import("../test/support/push-service.ts");
  const service = await startPushService();
  const port = parentPort!;
  let reported = 0;
  // The fake keeps what arrived in a list; pass on each new entry as it lands.
  const watch = setInterval(() => {
    const all = service.received();
    for (; reported < all.length; reported++) {
      const push = all[reported]!;
      const seq = (push.payload as { seq?: number }).seq ?? 0;
      port.postMessage({ kind: "push", push: { deviceId: push.deviceId, seq, at: push.at } } satisfies Report);
    }
    while (service.rejected.length > 0) port.postMessage({ kind: "rejected", reason: service.rejected.shift()! });
  }, 20);
  watch.unref();
  port.on("message", (request: Request) => {
    if (request.kind === "key") service.expectVapidKey(request.publicKey);
    const device = request.kind === "device" ? service.device(request.label) : undefined;
    port.postMessage({ kind: "answer", id: request.id, device } satisfies Report);
  });
  port.postMessage({ kind: "ready", origin: service.origin } satisfies Report);
}
