/**
 * /api/auth: registration and sign-in. The account named ADMIN_USERNAME becomes
 * the instance admin when it registers while no admin exists.
 */
import { Hono } from "hono";
import { query } from "../../db/index.ts";
import { credentialsSchema, type SessionView } from "../../protocol/index.ts";
import type { Config } from "../config.ts";
import type { AppEnv } from "../context.ts";
import { AppError } from "../errors.ts";
import { limitBody } from "../middleware.ts";
import { hashPassword, verifyNothing, verifyPassword } from "../passwords.ts";
import { issueAccessToken } from "../tokens.ts";
import { parseJson } from "../validation.ts";
import { userView } from "../views.ts";
import type { UserRecord } from "../../db/index.ts";

export const auth = new Hono<AppEnv>()
  .post("/register", limitBody, async (c) => {
    const config = c.get("config");
    const { username, password } = await parseJson(c, credentialsSchema);
    const isAdminName = username.toLowerCase() === config.ADMIN_USERNAME.toLowerCase();
    if (config.REGISTRATION_MODE !== "open" && !isAdminName) {
      throw new AppError(
        403,
        "registration_closed",
        config.REGISTRATION_MODE === "closed"
          ? "registration is closed on this server"
          : "registration on this server needs an invite from an admin",
      );
    }
    const result = await query(c.env.DATABASE, "createUser", {
      username,
      passwordHash: await hashPassword(password),
      wantsAdmin: isAdminName,
      onlyAsAdmin: config.REGISTRATION_MODE !== "open",
    });
    if (!result.ok && result.reason === "username_taken") {
      throw new AppError(409, "username_taken", "that username is taken: choose another");
    }
    if (!result.ok) throw new AppError(403, "registration_closed", "registration is closed on this server");
    return c.json(await session(config, result.user), 201);
  })
  .post("/login", limitBody, async (c) => {
    const { username, password } = await parseJson(c, credentialsSchema);
    const user = await query(c.env.DATABASE, "userByUsername", { username });
    // Unknown user and wrong password answer alike, after the same hashing work.
    const isValid = user ? await verifyPassword(password, user.passwordHash) : await verifyNothing(password);
    if (!user || !isValid) throw new AppError(401, "invalid_credentials", "wrong username or password");
    return c.json(await session(c.get("config"), user));
  });

async function session(config: Config, user: UserRecord): Promise<SessionView> {
  const { token, expiresAt } = await issueAccessToken(config, user.id);
  return { user: userView(user), accessToken: token, expiresAt: expiresAt.toISOString() };
}
