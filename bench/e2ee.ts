/**
 * End-to-end encryption costs on this machine, in Node: how big a channel's MLS
 * group can be (commit time, Welcome and GroupInfo size, client state size, joining
 * and processing a commit at 10, 100 and 1,000 members) and how fast message
 * envelopes seal and open. Prints figures; never fails on one.
 *
 *   npx node bench/e2ee.ts [--sizes 10,100,1000] [--messages 2000]
 */
import os from "node:os";
import { parseArgs } from "node:util";
import {
  clientStateEncoder,
  createCommit,
  createGroup,
  createGroupInfoWithExternalPubAndRatchetTree,
  defaultProposalTypes,
  encode,
  joinGroup,
  mlsMessageEncoder,
  processMessage,
  protocolVersions,
  wireformats,
  type ClientState,
  type MlsContext,
} from "ts-mls";
import { envelopeRate } from "./e2ee/envelope-rate.ts";
import { chatalotCiphersuite, CIPHERSUITE, newDeviceIdentity, newKeyPackage } from "../e2ee/index.ts";

const { values } = parseArgs({
  options: { sizes: { type: "string", default: "10,100,1000" }, messages: { type: "string", default: "2000" } },
});
const sizes = values.sizes.split(",").map(Number);
const cipherSuite = await chatalotCiphersuite();
// The bench's own groups: every credential is accepted (the app's service asks the key
// directory, a network round trip per new member, not CPU).
const context: MlsContext = { cipherSuite, authService: { validateCredential: async () => true } };

const time = async <T>(work: () => Promise<T>): Promise<[T, number]> => {
  const started = performance.now();
  const result = await work();
  return [result, performance.now() - started];
};
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const ms = (value: number) => `${value.toFixed(value < 10 ? 2 : 0)} ms`;
const device = (index: number) =>
  newDeviceIdentity(cipherSuite, crypto.randomUUID(), `00000000-0000-4000-8000-${String(index).padStart(12, "0")}`);

console.log(`Chatalot e2ee bench: node ${process.version}, ${CIPHERSUITE}, ${os.cpus().length} CPUs`);
console.log("\nGroup size: one commit adding everyone, then a member's view of the next commit (ms, bytes)");
console.log(
  [
    "members",
    "add all (commit)",
    "Welcome",
    "GroupInfo+tree",
    "client state",
    "join from Welcome",
    "empty commit",
    "process a commit",
  ]
    .map((heading, index) => heading.padEnd(index === 0 ? 8 : 18))
    .join(""),
);
for (const size of sizes) {
  const founderIdentity = await device(0);
  const founderKeys = await newKeyPackage(cipherSuite, founderIdentity);
  let founder: ClientState = await createGroup({
    context,
    groupId: new TextEncoder().encode(crypto.randomUUID()),
    keyPackage: founderKeys.publicPackage,
    privateKeyPackage: founderKeys.privatePackage,
  });
  const joiners = await Promise.all(
    Array.from({ length: size - 1 }, async (_, index) => newKeyPackage(cipherSuite, await device(index + 1))),
  );
  const [added, addMs] = await time(() =>
    createCommit({
      context,
      state: founder,
      extraProposals: joiners.map((pair) => ({
        proposalType: defaultProposalTypes.add,
        add: { keyPackage: pair.publicPackage },
      })),
      ratchetTreeExtension: true,
    }),
  );
  founder = added.newState;
  const welcomeBytes = encode(mlsMessageEncoder, added.welcome!).length;
  const groupInfo = await createGroupInfoWithExternalPubAndRatchetTree(founder, [], cipherSuite);
  const groupInfoBytes = encode(mlsMessageEncoder, {
    version: protocolVersions.mls10,
    wireformat: wireformats.mls_group_info,
    groupInfo,
  }).length;
  const stateBytes = encode(clientStateEncoder, founder).length;
  const last = joiners.at(-1)!;
  const [member, joinMs] = await time(() =>
    joinGroup({
      context,
      welcome: added.welcome!.welcome,
      keyPackage: last.publicPackage,
      privateKeys: last.privatePackage,
    }),
  );
  const [refresh, emptyMs] = await time(() => createCommit({ context, state: founder, extraProposals: [] }));
  const [, processMs] = await time(() => processMessage({ context, state: member, message: refresh.commit }));
  console.log(
    [
      String(size),
      ms(addMs),
      kib(welcomeBytes),
      kib(groupInfoBytes),
      kib(stateBytes),
      ms(joinMs),
      ms(emptyMs),
      ms(processMs),
    ]
      .map((cell, index) => cell.padEnd(index === 0 ? 8 : 18))
      .join(""),
  );
}

// Message envelopes: AES-256-GCM under a per-sender key, signed with Ed25519.
const count = Number(values.messages);
const rate = await envelopeRate(count);
console.log(`\nMessage envelopes of 200 bytes in Node (${count} each, one at a time)`);
console.log(`seal (encrypt + sign): ${rate.sealedPerSecond} messages/s`);
console.log(`open (verify + decrypt): ${rate.openedPerSecond} messages/s`);
console.log(`envelope overhead: ${rate.overheadBytes} bytes`);
console.log("(in Chromium: npx node bench/e2ee-browser.ts)");
