/**
 * Settings > Security: where the account is signed in, two-factor authentication,
 * the recovery code, the password, and recent security events.
 */
import { useModel } from "@preact/signals";
import { AccountSecretsModel } from "../models/account-secrets.ts";
import { DeviceSessionsModel } from "../models/device-sessions.ts";
import { SecurityEventsModel } from "../models/security-events.ts";
import type { Session } from "../models/session.ts";
import { TwoFactorModel } from "../models/two-factor.ts";
import { PasswordSection } from "./password-section.tsx";
import { RecoveryCodeSection } from "./recovery-code-section.tsx";
import { SecurityEventsSection } from "./security-events-section.tsx";
import { SessionsSection } from "./sessions-section.tsx";
import { TwoFactorSection } from "./two-factor-section.tsx";

export function SecurityPage({ session }: { session: Session }) {
  const deviceSessions = useModel(() => new DeviceSessionsModel(session));
  const twoFactor = useModel(() => new TwoFactorModel(session));
  const secrets = useModel(() => new AccountSecretsModel(session));
  const events = useModel(() => new SecurityEventsModel(session));
  // Every change is a security event, and some sign sessions out: show both.
  const onChange = () => {
    void events.load();
    void deviceSessions.load();
  };

  return (
    <>
      <SessionsSection deviceSessions={deviceSessions} session={session} onChange={onChange} />
      <TwoFactorSection twoFactor={twoFactor} onChange={onChange} />
      <RecoveryCodeSection secrets={secrets} hasTwoFactor={twoFactor.isOn.value} onChange={onChange} />
      <PasswordSection secrets={secrets} onChange={onChange} />
      <SecurityEventsSection events={events} />
    </>
  );
}
