import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/runCli.ts";
import { COLLEGE, type StackedOnNode, stackedOnNode, UNIVERSITY } from "../helpers/stackedOnNode.ts";

// `credreg audit credential <stacked file>` on a real node: the stacked credential's own history, then each
// component's (the entries `audit credential <issuer> <root> <index>` gives for it, found from the evidence entries),
// as a table with a heading per component, JSON (`components[]`) and CSV (a `component` column); a component revoked
// after stacking shows its CredentialRevoked under that component, and in its state with --at; another holder's
// credential in a component's batch is not that component's history.
type Json = Record<string, any>;

const EXPECTED_COMPONENTS = [
  { name: "Data Analysis with Python", issuer: UNIVERSITY.toLowerCase() },
  { name: "Applied Statistics", issuer: UNIVERSITY.toLowerCase() },
  { name: "SQL for Analysts", issuer: COLLEGE.toLowerCase() },
];

let setup: StackedOnNode;
let auditorEnv: Record<string, string>;
let evidence: Json[];
/** The block before Open College revoked the SQL component. */
let blockBefore: number;

const audit = async (...args: string[]) => {
  const result = await runCli(["audit", ...args], { cwd: setup.work, env: auditorEnv });
  expect(result.code, `audit ${args.join(" ")}: ${result.stderr}`).toBe(0);
  return result;
};

beforeAll(async () => {
  setup = await stackedOnNode();
  // The auditor's own index (no key, not the issuers' store).
  auditorEnv = { CREDREG_RPC_URL: setup.node.url, CREDREG_DEPLOYMENTS_DIR: setup.env.CREDREG_DEPLOYMENTS_DIR!, CREDREG_STORE: path.join(setup.work, "auditor.sqlite") };
  evidence = (JSON.parse(setup.stackedText) as Json).evidence;
}, 300_000);

afterAll(async () => {
  await setup?.node.stop();
});

describe("credreg audit credential <stacked file>", () => {
  it("default: --format json gives the stacked credential's entries, then each component's: the entries of its (issuer, root, index)", async () => {
    const result = await audit("credential", setup.stacked, "--format", "json");
    const stacked = JSON.parse(setup.stackedText) as Json;
    expect(result.json).toMatchObject({ issuer: UNIVERSITY.toLowerCase(), root: stacked.proof[1].merkleRoot.toLowerCase(), leafIndex: stacked.proof[1].leafIndex });
    expect(result.json.entries.map((entry: Json) => entry.event)).toContain("BatchAnchored");
    const components = result.json.components as Json[];
    expect(components.map(({ entries, ...place }) => place)).toEqual(
      evidence.map((entry, index) => ({
        id: entry.id,
        name: EXPECTED_COMPONENTS[index]!.name,
        achievement: entry.achievement,
        issuer: EXPECTED_COMPONENTS[index]!.issuer,
        root: entry.merkleRoot.toLowerCase(),
        leafIndex: entry.leafIndex,
        chainId: "eip155:31337",
        registry: setup.registry.toLowerCase(),
      })),
    );
    for (const component of components) {
      const own = await audit("credential", component.issuer, component.root, String(component.leafIndex), "--json");
      expect(component.entries, component.name).toEqual(own.json.entries);
      expect(component.entries.map((entry: Json) => entry.event), component.name).toEqual(["BatchAnchored"]);
    }
    // A credential that is not stacked has no components.
    const plain = await audit("credential", setup.components.python, "--json");
    expect(plain.json.components).toBeUndefined();
  });

  it("behavior: after Open College revokes the SQL component, its CredentialRevoked is listed under that component only (JSON, table, CSV), and --at shows it revoked then, not before", async () => {
    blockBefore = Number(((await audit("credential", setup.stacked, "--json")).json.indexed as Json).toBlock);
    const revoked = await setup.asCollege(["revoke", setup.components.sql, "--reason", "Misconduct"]);
    expect(revoked.code, revoked.stderr).toBe(0);
    // Grace's Statistics, in the same batch as Ada's component: not Ada's component's history.
    const other = await setup.asUniversity(["suspend", setup.others.statistics, "--reason", "UnderInvestigation"]);
    expect(other.code, other.stderr).toBe(0);

    const json = (await audit("credential", setup.stacked, "--format", "json")).json;
    const events = (entries: Json[]) => entries.map((entry) => entry.event);
    expect(events(json.entries)).not.toContain("CredentialRevoked");
    expect(json.components.map((component: Json) => events(component.entries))).toEqual([["BatchAnchored"], ["BatchAnchored"], ["BatchAnchored", "CredentialRevoked"]]);
    const revocation = json.components[2].entries[1] as Json;
    expect(revocation).toMatchObject({ issuer: COLLEGE.toLowerCase(), root: evidence[2]!.merkleRoot.toLowerCase(), leafIndex: evidence[2]!.leafIndex, reasonName: "Misconduct" });
    expect(revocation.actor.toLowerCase()).toBe(COLLEGE.toLowerCase());
    const own = await audit("credential", COLLEGE, evidence[2]!.merkleRoot, String(evidence[2]!.leafIndex), "--json");
    expect(json.components[2].entries).toEqual(own.json.entries);

    // The table: the stacked credential's history, then a heading per component; the revocation under SQL's.
    const table = (await audit("credential", setup.stacked)).stdout;
    const headings = table.split("\n").filter((line) => /^(Stacked credential|Component \d of 3): /.test(line));
    expect(headings).toEqual([
      `Stacked credential: Certificate in Applied Data Science (${JSON.parse(setup.stackedText).id}), issuer ${UNIVERSITY.toLowerCase()}, batch ${json.root}, index ${json.leafIndex}`,
      ...json.components.map((component: Json, index: number) => `Component ${index + 1} of 3: ${component.name} (${component.id}), issuer ${component.issuer}, batch ${component.root}, index ${component.leafIndex}`),
    ]);
    const sections = table.split(/\n\n(?=Component \d of 3: )/);
    expect(sections).toHaveLength(4);
    expect(sections.map((section) => section.includes("CredentialRevoked"))).toEqual([false, false, false, true]);
    expect(sections[3]).toMatch(/CredentialRevoked .*Misconduct/);

    // CSV: the timeline's columns, then `component` (empty on the stacked credential's own rows).
    const csv = (await audit("credential", setup.stacked, "--format", "csv")).stdout.trimEnd().split("\r\n");
    expect(csv[0]).toBe("time,blockNumber,transactionHash,logIndex,event,issuer,root,leafIndex,reason,reasonName,actor,sender,details,final,component");
    const rows = csv.slice(1).map((line) => line.split(","));
    expect(rows.every((row) => row.length === 15)).toBe(true);
    expect(rows.map((row) => [row[4], row[14]])).toEqual([
      ...json.entries.map((entry: Json) => [entry.event, ""]),
      ...json.components.flatMap((component: Json) => component.entries.map((entry: Json) => [entry.event, component.id])),
    ]);
    expect(rows.find((row) => row[4] === "CredentialRevoked")).toEqual(expect.arrayContaining([revocation.transactionHash, "Misconduct", evidence[2]!.id]));

    // --from bounds every part alike.
    const from = (await audit("credential", setup.stacked, "--from", String(revocation.blockNumber), "--json")).json;
    expect([events(from.entries), ...from.components.map((component: Json) => events(component.entries))]).toEqual([[], [], [], ["CredentialRevoked"]]);

    // The state at a moment: each component's too.
    const then = (await audit("credential", setup.stacked, "--at", String(blockBefore), "--json")).json;
    expect(then.components.map((component: Json) => [component.state.anchored, component.state.revoked])).toEqual([[true, false], [true, false], [true, false]]);
    const now = (await audit("credential", setup.stacked, "--at", String(revocation.blockNumber), "--json")).json;
    expect(now.components.map((component: Json) => component.state.revoked)).toEqual([false, false, true]);
    expect(now.components[2].state).toMatchObject({ anchored: true, inRange: true, revokedAt: revocation.time, suspended: false, batchRevoked: false });
    expect(now.state).toMatchObject({ anchored: true, revoked: false });
  });

  it("behavior: a component whose entry names another registry is not audited here (entries null, and the table says why), never shown as having no history", async () => {
    const credential = JSON.parse(setup.stackedText) as Json;
    const elsewhere = "0x000000000000000000000000000000000000dEaD";
    credential.evidence[0].anchor.registry = elsewhere;
    const file = path.join(setup.work, "stacked-elsewhere.json");
    await writeFile(file, JSON.stringify(credential));
    const json = (await audit("credential", file, "--json")).json;
    expect(json.components.map((component: Json) => component.entries === null)).toEqual([true, false, false]);
    expect(json.components[0].registry).toBe(elsewhere.toLowerCase());
    const table = (await audit("credential", file)).stdout;
    expect(table).toContain(`Not audited: anchored in registry ${elsewhere.toLowerCase()} on eip155:31337, not in the registry audited: audit it against its own registry.`);
    const csv = (await audit("credential", file, "--format", "csv")).stdout;
    expect(csv).not.toContain(credential.evidence[0].id);
    const at = (await audit("credential", file, "--at", String(blockBefore), "--json")).json;
    expect(at.components[0].state).toBeNull();
    expect(await readFile(setup.stacked, "utf8")).toBe(setup.stackedText);
  });
});
