/**
 * Two-factor authentication for the signed-in user: set-up (a secret shown as a
 * QR code and as text), turning it on with the password and a first code, which
 * yields 10 backup codes shown once; turning it off and new backup codes need the
 * password and a current code.
 */
import { computed, createModel, signal } from "@preact/signals";
import { confirmSchema, enableTotpSchema, type TotpSetupView, type UserView } from "../../../protocol/index.ts";
import { createAction } from "./action.ts";
import { qrCodeImageUrl } from "./qr-code.ts";
import type { Session } from "./session.ts";

export interface PendingSetup extends TotpSetupView {
  /** A data: URL of the otpauth URI as a QR code. */
  qrCodeUrl: string;
}

export const TwoFactorModel = createModel((session: Session) => {
  const isOn = computed(() => session.user.value?.hasTwoFactor ?? false);
  const backupCodesLeft = signal<number | null>(null);
  const pendingSetup = signal<PendingSetup | null>(null);
  /** Fresh backup codes, shown until the user says they are saved. */
  const backupCodes = signal<string[] | null>(null);
  const loading = createAction();
  const settingUp = createAction();
  const turningOff = createAction();
  const renewing = createAction();

  async function loadStatus(): Promise<void> {
    const answer = await loading.run(() =>
      session.request<{ user: UserView; backupCodesLeft: number }>("/api/account"),
    );
    if (!answer) return;
    session.updateUser(answer.user);
    backupCodesLeft.value = answer.backupCodesLeft;
  }
  void loadStatus();

  const setTwoFactor = (hasTwoFactor: boolean) => {
    const user = session.user.peek();
    if (user) session.updateUser({ ...user, hasTwoFactor });
  };

  return {
    isOn,
    backupCodesLeft,
    pendingSetup,
    backupCodes,
    loading,
    settingUp,
    turningOff,
    renewing,
    async startSetup(): Promise<void> {
      const view = await settingUp.run(async () => {
        const setup = await session.request<TotpSetupView>("/api/two-factor/setup", { method: "POST" });
        return { ...setup, qrCodeUrl: await qrCodeImageUrl(setup.otpauthUri) };
      });
      if (view) pendingSetup.value = view;
    },
    cancelSetup() {
      pendingSetup.value = null;
      settingUp.reset();
    },
    /** The password too: otherwise whoever holds a stolen session could lock the owner out behind their own authenticator. */
    async enable(password: string, code: string): Promise<boolean> {
      if (!password) return settingUp.fail("enter your password");
      const parsed = enableTotpSchema.safeParse({ totpCode: code.replace(/\s+/g, ""), password });
      if (!parsed.success)
        return settingUp.fail(parsed.error.issues[0]?.message ?? "enter your password and the 6-digit code");
      const answer = await settingUp.run(() =>
        session.request<{ backupCodes: string[] }>("/api/two-factor/enable", { method: "POST", body: parsed.data }),
      );
      if (!answer) return false;
      pendingSetup.value = null;
      backupCodes.value = answer.backupCodes;
      backupCodesLeft.value = answer.backupCodes.length;
      setTwoFactor(true);
      return true;
    },
    async disable(password: string, code: string): Promise<boolean> {
      if (!password) return turningOff.fail("enter your password");
      const parsed = confirmSchema.safeParse({ password, totpCode: code.replace(/\s+/g, "") });
      if (!parsed.success)
        return turningOff.fail(parsed.error.issues[0]?.message ?? "enter your password and a current code");
      const isDone = await turningOff.run(
        async () => (
          await session.request<null>("/api/two-factor/disable", { method: "POST", body: parsed.data }),
          true
        ),
      );
      if (!isDone) return false;
      backupCodes.value = null;
      backupCodesLeft.value = 0;
      setTwoFactor(false);
      return true;
    },
    async renewBackupCodes(password: string, code: string): Promise<boolean> {
      if (!password) return renewing.fail("enter your password");
      const parsed = confirmSchema.safeParse({ password, totpCode: code.replace(/\s+/g, "") });
      if (!parsed.success)
        return renewing.fail(parsed.error.issues[0]?.message ?? "enter your password and a current code");
      const answer = await renewing.run(() =>
        session.request<{ backupCodes: string[] }>("/api/two-factor/backup-codes", {
          method: "POST",
          body: parsed.data,
        }),
      );
      if (!answer) return false;
      backupCodes.value = answer.backupCodes;
      backupCodesLeft.value = answer.backupCodes.length;
      return true;
    },
    /** The user saved the codes: they are not shown again. */
    dismissBackupCodes() {
      backupCodes.value = null;
    },
  };
});

export type TwoFactor = InstanceType<typeof TwoFactorModel>;
