/** Permission names from a request, as flags; an unknown name is a clear 400. */
import { Permission, type PermissionName } from "../protocol/index.ts";
import { AppError } from "./errors.ts";

export function flagsOf(names: string[]): number {
  let flags = 0;
  for (const name of names) {
    if (!Object.hasOwn(Permission, name)) throw new AppError(400, "invalid_request", `unknown permission "${name}"`);
    flags |= Permission[name as PermissionName];
  }
  return flags;
}
