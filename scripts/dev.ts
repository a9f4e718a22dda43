/**
 * `npm run dev`: hot-reload development. wrangler dev serves the API and rooms on
 * :8787 (reloading on server changes); Vite serves the web app on :5173 with hot
 * module replacement, proxying /api to wrangler. Secrets for wrangler go to .dev.vars.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");
const secrets = join(root, ".chatalot", "secrets");
const generated = spawnSync(join(root, "scripts", "generate-secrets.sh"), [], {
  stdio: "inherit",
  env: { ...process.env, SECRETS_DIR: secrets },
});
if (generated.status !== 0) process.exit(1);

if (!process.env.DATABASE_URL && !existsSync(join(root, ".dev.vars"))) {
  console.error(
    "chatalot: npm run dev needs a PostgreSQL server: set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/chatalot), " +
      "or run `npm start`, which brings an embedded one.",
  );
  process.exit(1);
}
const read = (name: string) => JSON.stringify(readFileSync(join(secrets, name), "utf8"));
const devVars = join(root, ".dev.vars");
if (process.env.DATABASE_URL || !existsSync(devVars)) {
  writeFileSync(
    devVars,
    [
      `DATABASE_URL=${JSON.stringify(process.env.DATABASE_URL)}`,
      `JWT_PRIVATE_KEY=${read("jwt_private.pem")}`,
      `JWT_PUBLIC_KEYS=${read("jwt_public.pem")}`,
      `TOTP_ENCRYPTION_KEY=${readFileSync(join(secrets, "totp_encryption_key"), "utf8").trim()}`,
      `VAPID_PRIVATE_KEY=${read("vapid_private.pem")}`,
      "",
    ].join("\n"),
    { mode: 0o600 },
  );
}

const children: ChildProcess[] = [
  spawn(join(root, "scripts", "wrangler.sh"), ["dev", "--port", "8787", "--ip", "127.0.0.1"], { stdio: "inherit" }),
  spawn(join(root, "node_modules", ".bin", "vite"), ["--config", "web/vite.config.ts"], {
    cwd: root,
    stdio: "inherit",
  }),
];
const stop = () => children.forEach((child) => child.kill("SIGTERM"));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
for (const child of children) child.once("exit", stop);
