/** /.well-known/jwks.json: the public keys that verify Chatalot's access tokens. */
import { Hono } from "hono";
import type { AppEnv } from "../context.ts";
import { publicJwks } from "../tokens.ts";

export const wellKnown = new Hono<AppEnv>().get("/jwks.json", async (c) => {
  c.header("Cache-Control", "public, max-age=300");
  return c.json({ keys: await publicJwks(c.get("config")) });
});
