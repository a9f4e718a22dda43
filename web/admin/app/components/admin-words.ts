/** Figures and settings as an operator reads them: "1.2 GB", "3 days", "Invite only". */
import type { CommunityCreationMode, RegistrationMode } from "../models/admin-views.ts";

const numberFormat = new Intl.NumberFormat();
const BYTE_UNITS = ["bytes", "KB", "MB", "GB", "TB"];

export const numberInWords = (value: number) => numberFormat.format(value);

/** `count` things, with the noun made plural by `s` unless another plural is given. */
export function countInWords(count: number, noun: string, plural = `${noun}s`): string {
  return `${numberFormat.format(count)} ${count === 1 ? noun : plural}`;
}

/** Binary units (1 KB = 1,024 bytes), as the upload limit is set. */
export function bytesInWords(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${new Intl.NumberFormat(undefined, { maximumFractionDigits: digits }).format(value)} ${BYTE_UNITS[unit]}`;
}

/** "3 days, 4 hours", "12 minutes": the two largest units that are not zero. */
export function durationInWords(seconds: number): string {
  const units: [string, number][] = [
    ["day", 86_400],
    ["hour", 3_600],
    ["minute", 60],
  ];
  const parts: string[] = [];
  let left = Math.floor(seconds);
  for (const [name, size] of units) {
    const amount = Math.floor(left / size);
    left %= size;
    if (amount > 0) parts.push(countInWords(amount, name));
  }
  return parts.length ? parts.slice(0, 2).join(", ") : countInWords(left, "second");
}

export const REGISTRATION_MODES: { mode: RegistrationMode; label: string; explanation: string }[] = [
  { mode: "open", label: "Open", explanation: "anyone who can reach this server can create an account" },
  { mode: "invite_only", label: "Invite only", explanation: "people need an invite link from an admin" },
  { mode: "closed", label: "Closed", explanation: "nobody can create an account" },
];

export const registrationModeInWords = (mode: RegistrationMode) =>
  REGISTRATION_MODES.find((entry) => entry.mode === mode)?.label ?? mode;

export const CREATION_MODES: { mode: CommunityCreationMode; label: string }[] = [
  { mode: "admin_only", label: "Instance admins only" },
  { mode: "open", label: "Everyone signed in" },
];

/** Choices for how long an invite or announcement lasts, in hours; "" is no end. */
export const LIFETIMES: { hours: string; label: string }[] = [
  { hours: "1", label: "1 hour" },
  { hours: "24", label: "1 day" },
  { hours: "168", label: "7 days" },
  { hours: "720", label: "30 days" },
  { hours: "", label: "Never" },
];
