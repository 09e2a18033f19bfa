import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, startServer } from "../../src/api/startServer.ts";
import { resolveConfig } from "../../src/config/resolveConfig.ts";
import { type LocalNode, startHardhatNode } from "../../src/devnet/startHardhatNode.ts";
import { openChain } from "../../src/chain/openChain.ts";
import { issuePortfolioCorpus, MACHINE_LEARNING, type PortfolioCorpus } from "../helpers/portfolioCorpus.ts";
import { expectMatchesSchema } from "./openapiSchemas.ts";

// POST /v1/portfolios: a candidate's credentials (JSON values) verified as POST /v1/verify does, summarised.

type Json = Record<string, any>;

let node: LocalNode;
let server: RunningServer;
let corpus: PortfolioCorpus;
let pathway: Json;
let work: string;
const files: Record<string, Json> = {};

const read = async (file: string) => JSON.parse(await readFile(file, "utf8")) as Json;

beforeAll(async () => {
  node = await startHardhatNode();
  work = await mkdtemp(path.join(tmpdir(), "credreg-api-portfolio-"));
  corpus = await issuePortfolioCorpus(node, work);
  files.python = await read(path.join(corpus.a1, "credential-000002.json"));
  files.statistics = await read(path.join(corpus.a2, "credential-000002.json"));
  files.sql = await read(path.join(corpus.b1, "credential-000002.json"));
  files.machineLearning = await read(path.join(corpus.a3, "credential-000002.json"));
  files.certificate = await read(corpus.stacked);
  files.visualisation = await read(path.join(corpus.b2, "credential-000002.json"));
  files.alan = await read(path.join(corpus.a1, "credential-000003.json"));
  files.katherine = await read(path.join(corpus.a1, "credential-000005.json"));
  pathway = await read("examples/pathway.json");
  const config = resolveConfig({ "rpc-url": node.url, registry: corpus.registry, store: path.join(work, "server.sqlite") }, {}, work);
  server = await startServer({ chain: await openChain(config), store: config.store, confirmations: 1, logger: pino({ level: "silent" }), port: 0, app: { publicRateLimit: 100_000 } });
});

afterAll(async () => {
  await server?.close();
  await node?.stop();
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

const post = (body: unknown) => fetch(`${server.url}/v1/portfolios`, { method: "POST", headers: { "content-type": "application/json" }, body: typeof body === "string" ? body : JSON.stringify(body) });

describe("POST /v1/portfolios", () => {
  it("default: the candidate's credentials summarised exactly; the revoked, forged and other holders' listed apart", async () => {
    const forged = structuredClone(files.statistics!);
    forged.credentialSubject.achievement.creditsAvailable = 30;
    const credentials = [files.python, files.alan, files.statistics, files.sql, files.visualisation, files.machineLearning, forged, files.certificate, files.katherine];
    const nearly = { ...pathway, id: "https://demo-university.example/pathways/visual", qualification: { ...pathway.qualification, id: "https://demo-university.example/qualifications/visual" }, components: [{ achievement: "https://open-college.example/achievements/data-visualisation" }, { achievement: "https://open-college.example/achievements/sql-for-analysts" }], required: "all", minCredits: undefined };
    const response = await post({ credentials, pathways: [pathway, nearly] });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Json;
    expectMatchesSchema("Portfolio", body);
    expect(body.holder).toEqual({ name: "Ada Lovelace", chosenBy: "largest-group", emailChecked: false });
    expect(body.counts).toEqual({ total: 9, valid: 7, counted: 5, otherHolder: 2, invalid: 2, couldNotVerify: 0 });
    expect(body.totalCredits).toBe(20);
    expect(body.highestEqfLevel).toBe(7);
    expect(body.skills.map((skill: Json) => [skill.targetName, skill.credentials.length])).toEqual([
      ["Python (computer programming)", 2],
      ["perform data analysis", 3],
      [MACHINE_LEARNING.alignment[0]!.targetName, 1],
    ]);
    expect(body.qualifications.map((entry: Json) => [entry.source, entry.credentialId, entry.pathway])).toEqual([["credentials[7]", files.certificate!.id, pathway.id]]);
    expect(body.pathways.completed.map((entry: Json) => entry.stackedAs)).toEqual([files.certificate!.id]);
    expect(body.pathways.nearlyCompleted.map((entry: Json) => [entry.id, entry.held.map((held: Json) => held.name), entry.missing])).toEqual([
      ["https://demo-university.example/pathways/visual", ["SQL for Analysts"], [{ achievement: "https://open-college.example/achievements/data-visualisation", issuer: null }]],
    ]);
    expect(body.invalid.map((entry: Json) => [entry.source, entry.status, entry.step])).toEqual([
      ["credentials[4]", "invalid", "status"],
      ["credentials[6]", "invalid", "integrity"],
    ]);
    expect(body.invalid[0].message).toMatch(/^Revoked at .* for reason 3 \(Misconduct/);
    expect(body.otherHolders.map((entry: Json) => [entry.source, entry.message])).toEqual([
      ["credentials[1]", "Held by Alan Turing, not Ada Lovelace."],
      ["credentials[8]", "Held by Katherine Johnson, not Ada Lovelace."],
    ]);
  });

  it("behavior: holderName and holderEmail choose and confirm the candidate", async () => {
    const credentials = [files.python, files.alan, files.katherine];
    const katherine = (await (await post({ credentials, holderName: "katherine johnson" })).json()) as Json;
    expect(katherine.holder).toEqual({ name: "Katherine Johnson", chosenBy: "holder-name", emailChecked: false });
    expect(katherine.credentials.map((entry: Json) => entry.source)).toEqual(["credentials[2]"]);
    const alan = (await (await post({ credentials, holderEmail: "alan@example.org" })).json()) as Json;
    expectMatchesSchema("Portfolio", alan);
    expect(alan.holder).toEqual({ name: "Alan Turing", chosenBy: "largest-group", emailChecked: true });
    expect(alan.otherHolders.map((entry: Json) => entry.message)).toEqual(["Not issued to alan@example.org.", "Holds no hashed e-mail address to compare with alan@example.org."]);
    expect(alan.pathways).toBeNull();
  });

  it("error: a body that is not a portfolio request is 400 with what is wrong, and nothing is verified", async () => {
    const one = [files.python];
    const cases: [unknown, string, RegExp][] = [
      [[files.python], "InvalidRequest", /^Send \{ "credentials": \[\.\.\.\] \}/],
      [{ credentials: [] }, "InvalidRequest", /^Send 1 to 1000 credentials per portfolio\./],
      [{ credentials: Array.from({ length: 1001 }, () => 1) }, "InvalidRequest", /^Send 1 to 1000 credentials per portfolio\./],
      [{ credentials: files.python }, "InvalidRequest", /^credentials must be an array/],
      [{ credentials: one, holdername: "Ada" }, "InvalidRequest", /^Unknown member: holdername\./],
      [{ credentials: one, holderName: "" }, "InvalidRequest", /^holderName must be the candidate's name/],
      [{ credentials: one, holderEmail: "ada" }, "InvalidRequest", /^holderEmail must be an e-mail address\./],
      [{ credentials: one, pathways: Array.from({ length: 51 }, () => pathway) }, "InvalidRequest", /^pathways must be an array of at most 50 pathways\./],
      [{ credentials: one, pathways: [pathway, pathway] }, "InvalidRequest", /^pathways\[1\] describes .* again/],
      [{ credentials: one, pathways: [{ ...pathway, required: 9 }] }, "InvalidInput", /^pathways\[0\] is not a valid pathway\./],
      // An I-JSON problem outside the credentials refuses the whole body.
      [`{"credentials":${JSON.stringify(one)},"holderName":"Ada Lovelace","holderName":"Alan Turing"}`, "InvalidJson", /^The body is not I-JSON \(RFC 7493\) outside the credentials/],
    ];
    for (const [body, code, message] of cases) {
      const response = await post(body);
      const answer = (await response.json()) as { error: { code: string; message: string; details: unknown[] } };
      expect([response.status, answer.error.code], JSON.stringify(answer).slice(0, 300)).toEqual([400, code]);
      expect(answer.error.message).toMatch(message);
    }
    // Inside a credential, an I-JSON problem fails that credential's format step, as in POST /v1/verify: the portfolio
    // is made, the credential listed among the invalid ones.
    const duplicate = await post(`{"credentials":[${JSON.stringify(files.python).replace('"name":', '"name":"x","name":')}]}`);
    expect(duplicate.status).toBe(200);
    const portfolio = (await duplicate.json()) as { invalid: { source: string; step: string; message: string }[] };
    expect(portfolio.invalid).toEqual([expect.objectContaining({ source: "credentials[0]", step: "format", message: expect.stringMatching(/"name" appears twice in one object/) })]);
    const badPathway = (await (await post({ credentials: one, pathways: [{ ...pathway, required: 9 }] })).json()) as { error: { details: string[] } };
    // Each problem with its path in the request.
    expect(badPathway.error.details).toContain('$.pathways[0].required: must be at most the number of components (4), or "all"');
  });
});
