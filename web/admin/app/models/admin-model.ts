/**
 * The admin page's state: where we are, and one model per section. Opening a
 * section reads it fresh from the server, so what an admin sees is never older
 * than their last click.
 */
import { createModel, effect, untracked } from "@preact/signals";
import type { AdminHost } from "../../admin-host.ts";
import { createAdminApi } from "./admin-api.ts";
import { AdminRouterModel, type AdminRoute } from "./admin-router.ts";
import { AnnouncementsModel } from "./announcements-model.ts";
import { AuditModel } from "./audit-model.ts";
import { CommunitiesModel } from "./communities-model.ts";
import { OverviewModel } from "./overview-model.ts";
import { ReauthenticationModel } from "./reauthentication-model.ts";
import { RegistrationModel } from "./registration-model.ts";
import { SettingsModel } from "./settings-model.ts";
import { UserDetailModel } from "./user-detail-model.ts";
import { UsersModel } from "./users-model.ts";

export const AdminModel = createModel((host: AdminHost) => {
  const reauthentication = new ReauthenticationModel();
  const api = createAdminApi(host, reauthentication);
  const router = new AdminRouterModel();
  const overview = new OverviewModel(api);
  const users = new UsersModel(api);
  const userDetail = new UserDetailModel(api, (username) => {
    users.notice.value = `deleted ${username}'s account`;
    router.navigate("/admin/users");
  });
  const registration = new RegistrationModel(api);
  const communities = new CommunitiesModel(api);
  const audit = new AuditModel(api);
  const settings = new SettingsModel(api);
  const announcements = new AnnouncementsModel(api);

  effect(() => {
    const route = router.route.value;
    untracked(() => open(route));
  });

  function open(route: AdminRoute): void {
    switch (route.section) {
      case "overview":
        return void overview.load();
      case "users":
        return void (route.userId ? userDetail.open(route.userId) : users.list.reload());
      case "registration":
        return void registration.load();
      case "communities":
        return void communities.list.reload();
      case "audit":
        return void audit.reload();
      case "settings":
        return void Promise.all([settings.load(), announcements.load()]);
    }
  }

  return {
    router,
    overview,
    users,
    userDetail,
    registration,
    communities,
    audit,
    settings,
    announcements,
    reauthentication,
    signOut: () => host.signOut(),
  };
});

export type Admin = InstanceType<typeof AdminModel>;
