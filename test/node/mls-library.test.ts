/**
 * The MLS library as Chatalot pins it: ts-mls 2.0.0-rc.10 with patches/ts-mls+2.0.0-rc.10.patch
 * (applied by `npm install` through patch-package). Each case below fails on the
 * unpatched package: a removed member read what was sent after its removal (no
 * UpdatePath on a single Remove; path secrets encrypted to a removed member's old
 * leaf when a commit also adds), and valid joins after membership churn were
 * refused (unmerged_leaves checked for equality instead of inclusion). The last
 * case is a seeded random churn of adds, removes and joins checked at every epoch.
 */
import {
  createApplicationMessage,
  createCommit,
  createGroup,
  createGroupInfoWithExternalPubAndRatchetTree,
  decode,
  defaultCapabilities,
  defaultCredentialTypes,
  defaultLifetime,
  defaultProposalTypes,
  encode,
  generateKeyPackage,
  getCiphersuiteImpl,
  joinGroup,
  joinGroupExternal,
  mlsMessageDecoder,
  mlsMessageEncoder,
  processMessage,
  protocolVersions,
  unsafeTestingAuthenticationService,
  wireformats,
  type ClientState,
  type MlsContext,
  type Proposal,
} from "ts-mls";
import { beforeAll, describe, expect, it } from "vitest";

type KeyPackagePair = Awaited<ReturnType<typeof generateKeyPackage>>;
type WireMessage = NonNullable<ReturnType<typeof decode<unknown>>>;

interface Member {
  name: string;
  state: ClientState;
}

const text = new TextEncoder();
let context: MlsContext;

beforeAll(async () => {
  const cipherSuite = await getCiphersuiteImpl("MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519");
  // These tests are about the group protocol; credentials are checked by the app's own service.
  context = { cipherSuite, authService: unsafeTestingAuthenticationService };
});

/** Every message goes through the wire encoding, as it does between real devices. */
const overTheWire = <T>(message: T) =>
  decode(mlsMessageDecoder, encode(mlsMessageEncoder, message as never)) as unknown as T;

const keyPackage = (name: string): Promise<KeyPackagePair> =>
  generateKeyPackage({
    credential: { credentialType: defaultCredentialTypes.basic, identity: text.encode(name) },
    cipherSuite: context.cipherSuite,
    capabilities: defaultCapabilities(),
    lifetime: defaultLifetime(),
  });

async function founder(name: string): Promise<Member> {
  const own = await keyPackage(name);
  const state = await createGroup({
    context,
    groupId: text.encode(`group-of-${name}`),
    keyPackage: own.publicPackage,
    privateKeyPackage: own.privatePackage,
  });
  return { name, state };
}

const add = (pair: KeyPackagePair): Proposal => ({
  proposalType: defaultProposalTypes.add,
  add: { keyPackage: pair.publicPackage },
});
const remove = (member: Member): Proposal => ({
  proposalType: defaultProposalTypes.remove,
  remove: { removed: member.state.privatePath.leafIndex },
});

async function commit(
  by: Member,
  proposals: Proposal[],
  options: { wireAsPublicMessage?: boolean; ratchetTreeExtension?: boolean } = {},
) {
  const result = await createCommit({
    context,
    state: by.state,
    extraProposals: proposals,
    ratchetTreeExtension: options.ratchetTreeExtension ?? true,
    wireAsPublicMessage: options.wireAsPublicMessage ?? false,
  });
  by.state = result.newState;
  return { commit: overTheWire(result.commit), welcome: result.welcome && overTheWire(result.welcome) };
}

async function receive(member: Member, message: WireMessage) {
  const result = await processMessage({ context, state: member.state, message: message as never });
  member.state = result.newState;
  return result;
}

async function join(
  name: string,
  pair: KeyPackagePair,
  welcome: { welcome: unknown },
  ratchetTree?: ClientState["ratchetTree"],
) {
  const state = await joinGroup({
    context,
    welcome: welcome.welcome as never,
    keyPackage: pair.publicPackage,
    privateKeys: pair.privatePackage,
    ratchetTree,
  });
  return { name, state };
}

async function say(member: Member, words: string): Promise<WireMessage> {
  const result = await createApplicationMessage({ context, state: member.state, message: text.encode(words) });
  member.state = result.newState;
  return overTheWire(result.message) as WireMessage;
}

/** What `member` reads of `message`, or null when it cannot decrypt it. */
async function reads(member: Member, message: WireMessage): Promise<string | null> {
  try {
    const result = await receive(member, message);
    return result.kind === "applicationMessage" ? new TextDecoder().decode(result.message) : null;
  } catch {
    return null;
  }
}

const authenticator = (member: Member) => Buffer.from(member.state.keySchedule.epochAuthenticator).toString("hex");

describe("the pinned, patched ts-mls", () => {
  for (const wireAsPublicMessage of [false, true]) {
    it(`removes a member for good: nothing sent after a Remove (as ${wireAsPublicMessage ? "PublicMessage" : "PrivateMessage"}) is readable by them`, async () => {
      const alice = await founder("alice");
      const [bobKeys, carolKeys] = await Promise.all([keyPackage("bob"), keyPackage("carol")]);
      const { welcome } = await commit(alice, [add(bobKeys), add(carolKeys)]);
      const bob = await join("bob", bobKeys, welcome!);
      const carol = await join("carol", carolKeys, welcome!);
      const removal = await commit(alice, [remove(carol)], { wireAsPublicMessage });
      await receive(bob, removal.commit as WireMessage);
      await receive(carol, removal.commit as WireMessage);
      expect(carol.state.groupActiveState.kind).toBe("removedFromGroup");
      expect(authenticator(bob)).toBe(authenticator(alice));
      expect(authenticator(carol)).not.toBe(authenticator(alice));
      const secret = await say(alice, "after carol left");
      expect(await reads(bob, secret)).toBe("after carol left");
      expect(await reads(carol, secret)).toBeNull();
    });
  }

  it("keeps removed members out of a commit that also adds someone into their place", async () => {
    const alice = await founder("alice");
    const pairs = await Promise.all(["bob", "carol", "dave"].map(keyPackage));
    const { welcome } = await commit(alice, pairs.map(add));
    const [bob, carol, dave] = await Promise.all(
      pairs.map((pair, index) => join(["bob", "carol", "dave"][index]!, pair, welcome!)),
    );
    const erinKeys = await keyPackage("erin");
    const swap = await commit(alice, [remove(carol!), remove(dave!), add(erinKeys)], { wireAsPublicMessage: true });
    for (const member of [bob!, carol!, dave!]) await receive(member, swap.commit as WireMessage);
    const erin = await join("erin", erinKeys, swap.welcome!);
    expect([carol!, dave!].map((member) => member.state.groupActiveState.kind)).toEqual([
      "removedFromGroup",
      "removedFromGroup",
    ]);
    expect([bob!, erin].map(authenticator)).toEqual([authenticator(alice), authenticator(alice)]);
    const secret = await say(alice, "welcome erin");
    expect(await reads(bob!, secret)).toBe("welcome erin");
    expect(await reads(erin, secret)).toBe("welcome erin");
    expect(await reads(carol!, secret)).toBeNull();
    expect(await reads(dave!, secret)).toBeNull();
  });

  it("lets people join from a Welcome after members came and went (unmerged leaves in the tree)", async () => {
    const alice = await founder("alice");
    const members: Member[] = [alice];
    const addMember = async (name: string) => {
      const pair = await keyPackage(name);
      const { commit: added, welcome } = await commit(alice, [add(pair)]);
      for (const member of members.slice(1)) await receive(member, added as WireMessage);
      members.push(await join(name, pair, welcome!));
    };
    const removeMember = async (name: string) => {
      const leaving = members.find((member) => member.name === name)!;
      const { commit: removal } = await commit(alice, [remove(leaving)]);
      members.splice(members.indexOf(leaving), 1);
      for (const member of [...members.slice(1), leaving]) await receive(member, removal as WireMessage);
    };
    for (const name of ["bob", "carol", "dave", "erin", "frank"]) await addMember(name);
    await removeMember("carol");
    await removeMember("erin");
    // An empty commit refreshes alice's path: the adds after it leave unmerged leaves on it.
    const { commit: refresh } = await commit(alice, []);
    for (const member of members.slice(1)) await receive(member, refresh as WireMessage);
    for (const name of ["grace", "heidi", "ivan"]) await addMember(name);
    const hello = await say(members[1]!, "hello after the churn");
    for (const member of members.filter((_, index) => index !== 1)) {
      expect(await reads(member, hello), member.name).toBe("hello after the churn");
    }
  });

  it("stays in agreement through a seeded random churn: every member reads every message, no removed one reads any", async () => {
    let seed = 20261129;
    const random = () => (seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32;
    const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)]!;
    let counter = 0;
    const members: Member[] = [await founder(`m${counter++}`)];
    const removed: Member[] = [];
    const tally = { commits: 0, joins: 0, externalJoins: 0, removals: 0, reads: 0, refusedToRemoved: 0 };
    for (let epoch = 1; epoch <= 60; epoch++) {
      const committer = pick(members);
      const roll = random();
      if (members.length >= 4 && roll < 0.12) {
        // A new device joins by external commit from the current GroupInfo.
        const pair = await keyPackage(`m${counter++}`);
        const groupInfo = await createGroupInfoWithExternalPubAndRatchetTree(committer.state, [], context.cipherSuite);
        const { publicMessage, newState } = await joinGroupExternal({
          context,
          groupInfo: overTheWire({ wireformat: wireformats.mls_group_info, version: protocolVersions.mls10, groupInfo })
            .groupInfo,
          keyPackage: pair.publicPackage,
          privateKeys: pair.privatePackage,
          resync: false,
        });
        const message = overTheWire({
          wireformat: wireformats.mls_public_message,
          version: protocolVersions.mls10,
          publicMessage,
        });
        for (const member of members) await receive(member, message as WireMessage);
        members.push({ name: `m${counter - 1}`, state: newState });
        tally.externalJoins++;
      } else {
        const adds = members.length < 4 || roll < 0.45 ? 1 : roll < 0.55 ? 2 : 0;
        const removals = members.length >= 11 ? 2 : members.length >= 4 && roll >= 0.35 ? (roll > 0.9 ? 2 : 1) : 0;
        const candidates = members.filter((member) => member !== committer);
        const leaving = Array.from(
          { length: Math.min(removals, candidates.length) },
          () => candidates.splice(Math.floor(random() * candidates.length), 1)[0]!,
        );
        const joining = await Promise.all(Array.from({ length: adds }, () => keyPackage(`m${counter++}`)));
        const withTree = random() < 0.7;
        const result = await commit(committer, [...leaving.map(remove), ...joining.map(add)], {
          wireAsPublicMessage: random() < 0.25,
          ratchetTreeExtension: withTree,
        });
        for (const member of members) if (member !== committer) await receive(member, result.commit as WireMessage);
        for (const member of leaving) {
          expect(member.state.groupActiveState.kind).toBe("removedFromGroup");
          members.splice(members.indexOf(member), 1);
          removed.push(member);
        }
        for (const [index, pair] of joining.entries()) {
          members.push(
            await join(
              `joiner${epoch}-${index}`,
              pair,
              result.welcome!,
              withTree ? undefined : committer.state.ratchetTree,
            ),
          );
        }
        tally.joins += joining.length;
        tally.removals += leaving.length;
      }
      tally.commits++;
      expect(new Set(members.map(authenticator)).size, `epoch ${epoch}: everyone agrees`).toBe(1);
      const speaker = pick(members);
      const words = `epoch ${epoch} from ${speaker.name}`;
      const message = await say(speaker, words);
      for (const member of members) {
        if (member === speaker) continue;
        expect(await reads(member, message), `${member.name} at epoch ${epoch}`).toBe(words);
        tally.reads++;
      }
      for (const member of removed.slice(-10)) {
        expect(await reads(member, message), `removed ${member.name} at epoch ${epoch}`).toBeNull();
        tally.refusedToRemoved++;
      }
    }
    expect(tally.removals).toBeGreaterThan(20);
    expect(tally.joins).toBeGreaterThan(20);
    expect(tally.externalJoins).toBeGreaterThan(2);
    console.log(`mls churn: ${JSON.stringify(tally)}`);
  }, 120_000);
});
