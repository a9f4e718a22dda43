/**
 * The wire protocol shared by the browser and the server. Runtime-free: it imports
 * no server, worker or browser API, only zod for validation.
 */
export * from "./admin.ts";
export * from "./api.ts";
export * from "./calls.ts";
export * from "./channels.ts";
export * from "./communities.ts";
export * from "./community-admin.ts";
export * from "./events.ts";
export * from "./files.ts";
export * from "./keys.ts";
export * from "./limits.ts";
export * from "./messages.ts";
export * from "./notifications.ts";
export * from "./mls.ts";
export * from "./mls-wire.ts";
export * from "./socket.ts";
export * from "./base64.ts";
export * from "./device-certificate.ts";
export * from "./permissions.ts";
export * from "./profiles.ts";
export * from "./search.ts";
export * from "./text.ts";
