/**
 * Runs once before the suite: a database for the in-workerd tests and signing
 * keys, handed to the test projects through `provide`.
 */
import type { TestProject } from "vitest/node";
import { createTestDatabase, type TestDatabase } from "./support/database.ts";
import { testKeys } from "./support/keys.ts";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    isEmbeddedDatabase: boolean;
    jwtPrivateKey: string;
    jwtPublicKey: string;
  }
}

let database: TestDatabase | undefined;

export async function setup(project: TestProject): Promise<void> {
  database = await createTestDatabase("chatalot_test");
  const keys = testKeys();
  project.provide("databaseUrl", database.url);
  project.provide("isEmbeddedDatabase", database.isEmbedded);
  project.provide("jwtPrivateKey", keys.privateKey);
  project.provide("jwtPublicKey", keys.publicKey);
}

export async function teardown(): Promise<void> {
  await database?.stop();
}
