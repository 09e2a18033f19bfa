import { execFile } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectRpc } from "../../src/chain/connectRpc.ts";
import { unbakeBadge } from "../../src/credential/v2/badge/unbakeBadge.ts";
import { type LocalNode, startHardhatNode } from "../../src/devnet/startHardhatNode.ts";
import { runCli } from "../helpers/runCli.ts";
import { buildPng, chunk, chunksOf, flipped } from "../credential/v2/badge/testPng.ts";

// Format 2 badges through the CLI: the badge image (generated, or the issuer's PNG/SVG), each credential also written
// baked into it, and `credreg verify` reading baked files as it reads JSON files.
const GOVERNOR_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const ISSUER_KEY = "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba"; // dev account #9
const ISSUER = new Wallet(ISSUER_KEY).address;
const EXAMPLES = path.resolve("examples");

let node: LocalNode;
let work: string;
let env: Record<string, string>;
let verifierEnv: Record<string, string>;

beforeAll(async () => {
  node = await startHardhatNode();
  work = await mkdtemp(path.join(tmpdir(), "credreg-badge-"));
  env = { CREDREG_RPC_URL: node.url, CREDREG_DEPLOYMENTS_DIR: path.join(work, "deployments") };
  const governor = { ...env, CREDREG_PRIVATE_KEY: GOVERNOR_KEY };
  expect((await runCli(["deploy"], { cwd: work, env: governor })).code).toBe(0);
  const accredited = await runCli(["accredit", ISSUER, "--name", "Demo University", "--profile-id", "https://demo-university.example/issuer"], { cwd: work, env: governor });
  expect(accredited.code, accredited.stderr).toBe(0);
  const registry = JSON.parse(await readFile(path.join(work, "deployments", "31337.json"), "utf8")).address as string;
  verifierEnv = { CREDREG_RPC_URL: node.url, CREDREG_TRUSTED_REGISTRIES: registry };
});

afterAll(async () => {
  await node?.stop();
});

async function issue(name: string, ...extra: string[]) {
  const dir = await mkdtemp(path.join(work, `${name}-`));
  const out = path.join(dir, "out");
  const run = await runCli(["issue", "--input", path.join(EXAMPLES, "recipients.csv"), "--achievement", path.join(EXAMPLES, "achievement.json"), "--out", out, "--json", ...extra], {
    cwd: dir,
    env: { ...env, CREDREG_PRIVATE_KEY: ISSUER_KEY, CREDREG_STORE: path.join(dir, "issuer.sqlite") },
  });
  return { run, dir, credentials: path.join(out, "credentials") };
}

const verify = (...args: string[]) => runCli(["verify", ...args, "--json"], { cwd: work, env: verifierEnv });
const imageOf = (credential: any) => credential.credentialSubject.achievement.image as { id: string; type: string; caption: string };

describe("credreg issue: badges", () => {
  it("default: the badge is generated from the achievement; each credential is also baked into it, and verify takes the baked SVG", async () => {
    const { run, credentials } = await issue("generated");
    expect(run.code, run.stderr).toBe(0);
    const names = (await readdir(credentials)).sort();
    expect(names.filter((name) => name.endsWith(".svg"))).toEqual(names.filter((name) => name.endsWith(".json")).map((name) => name.replace(/\.json$/, ".svg")));
    const json = await readFile(path.join(credentials, "credential-000002.json"), "utf8");
    const image = imageOf(JSON.parse(json));
    expect(image).toMatchObject({ type: "Image", caption: "Badge of Data Analysis with Python, issued by Demo University" });
    const svg = Buffer.from(image.id.replace(/^data:image\/svg\+xml;base64,/, ""), "base64").toString("utf8");
    expect(svg).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\s*<svg /);
    for (const text of ["Data Analysis with Python", "Demo University", "EQF 6", "5 ECTS"]) expect(svg).toContain(text);
    const baked = await readFile(path.join(credentials, "credential-000002.svg"), "utf8");
    expect(unbakeBadge(baked)).toBe(json);

    const one = await verify(path.join(credentials, "credential-000002.svg"));
    expect(one.code, one.stdout + one.stderr).toBe(0);
    expect(one.json.summary).toMatchObject({ total: 1, valid: 1 });
    // A folder counts each credential once: a baked file beside its JSON file is the same credential.
    const folder = await verify(credentials);
    expect(folder.json.summary).toMatchObject({ total: 12, valid: 12 });
    // A folder of baked files alone (what a holder keeps) is verified file by file.
    const badgesOnly = path.join(work, "badges-only");
    await mkdir(badgesOnly);
    for (const name of names.filter((entry) => entry.endsWith(".svg"))) await copyFile(path.join(credentials, name), path.join(badgesOnly, name));
    const held = await verify(badgesOnly);
    expect(held.json.summary).toMatchObject({ total: 12, valid: 12 });
  });

  it("behavior: an issuer's PNG becomes the image; credentials are baked into PNG files (one iTXt chunk) that verify, from a file or standard input", async () => {
    const png = buildPng(128, 128);
    const imageFile = path.join(work, "badge.png");
    await writeFile(imageFile, png);
    const { run, credentials } = await issue("png", "--badge-image", imageFile);
    expect(run.code, run.stderr).toBe(0);
    const json = await readFile(path.join(credentials, "credential-000003.json"), "utf8");
    expect(imageOf(JSON.parse(json)).id).toBe(`data:image/png;base64,${Buffer.from(png).toString("base64")}`);
    const baked = new Uint8Array(await readFile(path.join(credentials, "credential-000003.png")));
    expect(chunksOf(baked).filter((entry) => entry.type === "iTXt")).toHaveLength(1);
    expect(chunksOf(baked).every((entry) => entry.crcOk)).toBe(true);
    expect(unbakeBadge(baked)).toBe(json);
    const one = await verify(path.join(credentials, "credential-000003.png"));
    expect(one.json.summary).toMatchObject({ total: 1, valid: 1 });
    const stdin = await new Promise<{ code: number; stdout: string }>((resolve) => {
      const child = execFile(process.execPath, [path.resolve("src/cli/credreg.ts"), "verify", "-", "--json"], { env: { PATH: process.env.PATH, ...verifierEnv } }, (error, stdout) =>
        resolve({ code: error ? Number((error as { code?: number }).code) : 0, stdout }),
      );
      child.stdin!.end(Buffer.from(baked));
    });
    expect(stdin.code).toBe(0);
    expect(JSON.parse(stdin.stdout).summary).toMatchObject({ total: 1, valid: 1 });
  });

  it("error: a baked badge altered, broken or without a credential is not valid, each with its reason; never a stack trace", async () => {
    const { run, credentials } = await issue("tamper");
    expect(run.code, run.stderr).toBe(0);
    const bad = path.join(work, "bad-badges");
    await mkdir(bad);
    const svg = await readFile(path.join(credentials, "credential-000004.svg"), "utf8");
    expect(svg).toContain('"name": "Data Analysis with Python"');
    await writeFile(path.join(bad, "renamed.svg"), svg.replaceAll('"name": "Data Analysis with Python"', '"name": "Data Analysis with Rust"'));
    await writeFile(path.join(bad, "plain.svg"), '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><rect width="64" height="64"/></svg>');
    await writeFile(path.join(bad, "plain.png"), buildPng(64, 64));
    const png = buildPng(64, 64, [chunk("iTXt", Buffer.concat([Buffer.from("openbadgecredential\0\0\0\0\0"), Buffer.from(svg.slice(0, 10))]))]);
    await writeFile(path.join(bad, "crc.png"), flipped(png, -20));
    const result = await verify(bad);
    expect(result.code).toBe(1);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    const bySource = Object.fromEntries((result.json.results as { source: string; status: string; steps: { name: string; status: string; message: string }[] }[]).map((entry) => [path.basename(entry.source), entry]));
    expect(Object.keys(bySource).sort()).toEqual(["crc.png", "plain.png", "plain.svg", "renamed.svg"]);
    for (const entry of Object.values(bySource)) expect(entry.status).toBe("invalid");
    const firstFailure = (name: string) => bySource[name]!.steps.find((step) => step.status === "failed")!;
    expect(firstFailure("plain.svg")).toMatchObject({ name: "format" });
    expect(firstFailure("plain.svg").message).toMatch(/baked badge \(SVG\).*no credential/i);
    expect(firstFailure("plain.png").message).toMatch(/baked badge \(PNG\).*no credential/i);
    expect(firstFailure("crc.png").message).toMatch(/baked badge \(PNG\).*corrupt/i);
    expect(["integrity", "signature", "inclusion"]).toContain(firstFailure("renamed.svg").name);
  });

  it("error: an unusable --badge-image is refused with what is wrong and how to fix it; nothing is anchored", async () => {
    const { provider } = await connectRpc(node.url);
    const nonce = await provider.getTransactionCount(ISSUER);
    const files = {
      "script.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="128" height="128"><script>alert(1)</script></svg>',
      "photo.jpg": Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]),
      "tiny.png": buildPng(16, 16),
      "huge.svg": `<svg xmlns="http://www.w3.org/2000/svg" width="128" height="128"><!--${"x".repeat(300 * 1024)}--></svg>`,
    } as const;
    const expected: Record<keyof typeof files, RegExp> = { "script.svg": /script/i, "photo.jpg": /JPEG/, "tiny.png": /16×16|pixels/, "huge.svg": /KiB/ };
    for (const [name, bytes] of Object.entries(files)) {
      const file = path.join(work, name);
      await writeFile(file, bytes);
      const { run } = await issue(`bad-${name.replace(".", "-")}`, "--badge-image", file);
      expect(run.code, name).toBe(1);
      expect(run.stderr, name).toMatch(expected[name as keyof typeof files]);
      expect(run.stderr, name).not.toMatch(/\n\s+at /);
    }
    const missing = await issue("missing", "--badge-image", path.join(work, "nope.png"));
    expect(missing.run.code).toBe(1);
    expect(missing.run.stderr).toContain("no such file");
    const v1 = await issue("v1-image", "--format-version", "1", "--badge-image", path.join(work, "nope.png"));
    expect(v1.run.code).toBe(1);
    expect(v1.run.stderr).toContain("--badge-image is for format 2");
    expect(await provider.getTransactionCount(ISSUER)).toBe(nonce);
    provider.destroy();
  });
});
