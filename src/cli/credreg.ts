#!/usr/bin/env node
// The credreg command line: thin commands that parse arguments, call the library, and print.
// Exit codes: 0 success, 1 rejected input (files, flags, configuration), 2 chain, RPC or infrastructure failure.
import { parseArgs } from "node:util";
import { getAddress, isAddress, type Wallet } from "ethers";
import { connectRpc } from "../chain/connectRpc.ts";
import { deployRegistry } from "../chain/deployRegistry.ts";
import { writeDeployment } from "../chain/deployments.ts";
import { describeReason } from "../chain/reasonCodes.ts";
import { registryInterface } from "../chain/registryContract.ts";
import { loadSigner } from "../config/loadSigner.ts";
import { type CredregConfig, resolveConfig } from "../config/resolveConfig.ts";
import { BaseError } from "../errors/BaseError.ts";
import { InvalidConfigError } from "../errors/configErrors.ts";
import { InvalidCredentialError } from "../errors/credentialErrors.ts";
import { InvalidInputError } from "../errors/issuerErrors.ts";
import { changeStatuses, parseIndices, parseReason, revokeWholeBatch, type StatusAction, targetsFromFiles } from "../issuer/changeStatuses.ts";
import { issueBatch, type OutputFormat } from "../issuer/issueBatch.ts";
import { type ChainContext, connectSigner, openChain } from "../issuer/openChain.ts";
import { signRecordAndBroadcast, waitRecorded } from "../issuer/sendRecordedTransaction.ts";
import { IssuerStore } from "../store/IssuerStore.ts";
import { pino } from "pino";
import { startServer } from "../api/startServer.ts";
import { ApiKeyStore } from "../store/ApiKeyStore.ts";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { type AuditFormat, runAudit } from "./auditCommand.ts";
import { escapeForTerminal, escapeJsonForTerminal } from "./escapeForTerminal.ts";
import { formatVerification } from "./formatVerification.ts";
import { resolveVerifierTrust } from "../config/resolveVerifierTrust.ts";
import { runVerify } from "./verifyCommand.ts";

const COMMON = {
  "rpc-url": { type: "string" },
  registry: { type: "string" },
  confirmations: { type: "string" },
  keystore: { type: "string" },
  store: { type: "string" },
  config: { type: "string" },
  "chain-id": { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

const USAGE = `credreg <command> [options]

Governance
  deploy [--admin <address>] [--admin-delay <seconds>] [--accreditor <address,...>]
  accredit <address> --name <name> --profile-id <url-or-did>
  deactivate <address> --reason <code|name>
Issuing
  issue --input <recipients.csv|.json> --achievement <achievement.json> --out <dir>
        [--skip-invalid] [--dry-run] [--format files|ndjson|both] [--valid-from <date-time>] [--valid-until <date-time>] [--new-batch]
  revoke|suspend|reinstate <credential.json ...> --reason <code|name>
  revoke|suspend|reinstate --batch <root> --index <i,j,k> --reason <code|name>
  revoke-batch <root> --reason <code|name>
    (an accreditor acting for a deactivated issuer adds --for <issuer address>)
  batches [--issuer <address>]
  batch <root> [--issuer <address>]
Auditing (no key needed; history from chain events, indexed in the store)
  audit issuer <address> | batch <issuer> <root> | credential <file> | credential <issuer> <root> <index> | registry
        [--from <date|block>] [--to <date|block>] [--at <date|block>] [--format table|json|csv] [--reindex]
  audit report [<issuer>]                 consistency report of an issuer or of the whole registry
Serving (no key needed for the public API)
  serve [--host 127.0.0.1] [--port 8080] [--out <dir>]  HTTP API (issuer routes too when an issuer key is configured)
  apikey create [--label <text>] | apikey revoke <prefix>   API keys for the issuer routes (hashes kept in the store)
Verifying (no key needed)
  verify <file|dir|->... --registry <address,...> [--at <date-time|block>] [--recipient <email>] [--trusted-issuers <a,b>] [--verbose]
        trusts only what you give it: --registry / CREDREG_TRUSTED_REGISTRIES, or your trust file
        (~/.config/credreg/trust.json); never the credential's folder (no ./credreg.config.json, no ./deployments)

Options for every command
  --rpc-url <url>        JSON-RPC endpoint (CREDREG_RPC_URL; default http://127.0.0.1:8545)
  --registry <address>   registry (CREDREG_REGISTRY; default: deployments/<chainId>.json)
  --confirmations <n>    confirmations to wait for (CREDREG_CONFIRMATIONS; default 1)
  --keystore <file>      encrypted JSON keystore (CREDREG_KEYSTORE; password: CREDREG_KEYSTORE_PASSWORD or a prompt)
  --store <file>         the issuer's SQLite store (CREDREG_STORE; default .credreg/issuer.sqlite)
  --config <file>        config file (CREDREG_CONFIG; default ./credreg.config.json)
  --chain-id <id>        refuse an RPC serving another chain (CREDREG_CHAIN_ID)
  --json                 print one JSON document on stdout
The signer's key comes from CREDREG_PRIVATE_KEY or the keystore, never from an argument.
Exit codes: 0 success, 1 rejected input, 2 chain, RPC or infrastructure failure.
verify: 0 all valid, 1 any invalid, 2 could not verify.
Reference: docs/cli.md`;

type Output = { json: boolean };

function print(output: Output, document: unknown, lines: string[]): void {
  if (output.json) process.stdout.write(`${escapeJsonForTerminal(JSON.stringify(document, (_key, value) => (typeof value === "bigint" ? value.toString() : value)))}\n`);
  else process.stdout.write(`${lines.map((line) => escapeForTerminal(line)).join("\n")}\n`);
}

/** A progress bar on stderr, only on a terminal and never with --json. */
function progressBar(output: Output): ((step: string, done: number, total: number) => void) | undefined {
  if (output.json || !process.stderr.isTTY) return undefined;
  return (step, done, total) => {
    const width = 30;
    const filled = Math.round((done / Math.max(total, 1)) * width);
    process.stderr.write(`\r${step} [${"#".repeat(filled)}${" ".repeat(width - filled)}] ${done}/${total}${done >= total ? "\n" : ""}`);
  };
}

/** Test hook: CREDREG_TEST_CRASH_AT=<point> kills the process there (crash-injection tests). */
function crashCheckpoint(point: string): void {
  if (process.env.CREDREG_TEST_CRASH_AT === point) process.kill(process.pid, "SIGKILL");
}

function requireAddress(value: string | undefined, what: string): string {
  if (value === undefined || !isAddress(value)) throw new InvalidInputError(`${what} must be an Ethereum address${value === undefined ? "" : ` (got ${JSON.stringify(value)})`}.`, ["Give a 0x-prefixed 20-byte address."]);
  return getAddress(value);
}

async function withChain<T>(config: CredregConfig, work: (chain: ChainContext) => Promise<T>): Promise<T> {
  const chain = await openChain(config);
  try {
    return await work(chain);
  } finally {
    chain.close();
  }
}

async function withStore<T>(config: CredregConfig, work: (store: IssuerStore) => Promise<T>): Promise<T> {
  const store = IssuerStore.open(config.store);
  try {
    return await work(store);
  } finally {
    store.close();
  }
}

async function signerFor(config: CredregConfig, chain: ChainContext): Promise<Wallet> {
  return connectSigner(chain, await loadSigner(config.keystore));
}

type Parsed = { values: Record<string, string | boolean | undefined>; positionals: string[] };

function parse(argv: string[], options: Record<string, { type: "string" | "boolean"; short?: string }>): Parsed {
  try {
    const { values, positionals } = parseArgs({ args: argv, options: { ...COMMON, ...options }, allowPositionals: true, strict: true });
    return { values: values as Parsed["values"], positionals };
  } catch (error) {
    throw new InvalidInputError(`${(error as Error).message.split("\n")[0]}`, ["Run credreg --help for the commands and their options."]);
  }
}

const str = (value: string | boolean | undefined) => (typeof value === "string" ? value : undefined);

async function governanceSend(config: CredregConfig, kind: string, method: string, args: unknown[]) {
  return withChain(config, async (chain) => {
    const signer = await signerFor(config, chain);
    return withStore(config, async (store) => {
      const sent = await signRecordAndBroadcast({ chain, signer, store, kind, batchId: null, data: registryInterface.encodeFunctionData(method, args), payload: { method, args: args.map(String) } });
      const receipt = await waitRecorded(chain, store, sent.hash, config.confirmations, `The ${kind} transaction`);
      return { chainId: chain.chainId.toString(), registry: chain.registryAddress, transactionHash: sent.hash, blockNumber: receipt.blockNumber, gasUsed: receipt.gasUsed.toString() };
    });
  });
}

async function run(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  switch (command) {
    case "deploy": {
      const { values } = parse(rest, { admin: { type: "string" }, "admin-delay": { type: "string" }, accreditor: { type: "string" } });
      const output = { json: values.json === true };
      const config = resolveConfig(values);
      const delay = str(values["admin-delay"]);
      if (delay !== undefined && !/^\d+$/.test(delay)) throw new InvalidInputError(`--admin-delay ${delay} is not a number of seconds.`);
      const accreditors = str(values.accreditor)?.split(",").map((entry) => requireAddress(entry.trim(), "--accreditor"));
      const admin = str(values.admin) === undefined ? undefined : requireAddress(str(values.admin), "--admin");
      const { provider, chainId } = await connectRpc(config.rpcUrl, { pollingIntervalMs: 250 });
      try {
        if (config.chainId !== undefined && config.chainId !== chainId) throw new InvalidConfigError("The RPC", `serves chain ${chainId}, not ${config.chainId}`, "Fix CREDREG_RPC_URL or CREDREG_CHAIN_ID.");
        const signer = (await loadSigner(config.keystore)).connect(provider);
        const record = await deployRegistry({ signer, admin, accreditors, adminDelaySeconds: delay === undefined ? undefined : Number(delay), confirmations: config.confirmations });
        const file = await writeDeployment(record, config.deploymentsDir);
        print(output, { ...record, deploymentFile: file }, [
          `CredentialRegistry deployed on chain ${record.chainId} at ${record.address} (block ${record.blockNumber}).`,
          `Admin ${record.admin}; accreditors ${record.accreditors.join(", ")}; recorded in ${file}.`,
        ]);
      } finally {
        provider.destroy();
      }
      return;
    }
    case "accredit": {
      const { values, positionals } = parse(rest, { name: { type: "string" }, "profile-id": { type: "string" } });
      const output = { json: values.json === true };
      const issuer = requireAddress(positionals[0], "The issuer to accredit");
      const name = str(values.name);
      const profileId = str(values["profile-id"]);
      if (!name || !profileId) throw new InvalidInputError("accredit needs --name and --profile-id.", ["Example: credreg accredit 0x… --name \"University of Example\" --profile-id https://example.edu/issuer"]);
      const result = await governanceSend(resolveConfig(values), "accredit", "accreditIssuer", [issuer, name, profileId]);
      print(output, { ...result, issuer, name, profileId }, [`Accredited ${issuer} as "${name}" (${profileId}) in transaction ${result.transactionHash} (block ${result.blockNumber}).`]);
      return;
    }
    case "deactivate": {
      const { values, positionals } = parse(rest, { reason: { type: "string" } });
      const output = { json: values.json === true };
      const issuer = requireAddress(positionals[0], "The issuer to deactivate");
      const reason = parseReason(str(values.reason));
      const result = await governanceSend(resolveConfig(values), "deactivate", "deactivateIssuer", [issuer, reason]);
      print(output, { ...result, issuer, reason, reasonName: describeReason(reason).name }, [`Deactivated ${issuer} (${describeReason(reason).name}) in transaction ${result.transactionHash}.`]);
      return;
    }
    case "issue": {
      const { values } = parse(rest, {
        input: { type: "string" },
        achievement: { type: "string" },
        out: { type: "string" },
        "skip-invalid": { type: "boolean" },
        "dry-run": { type: "boolean" },
        format: { type: "string" },
        "valid-from": { type: "string" },
        "valid-until": { type: "string" },
        "new-batch": { type: "boolean" },
      });
      const output = { json: values.json === true };
      const input = str(values.input);
      const achievement = str(values.achievement);
      const out = str(values.out);
      if (!input || !achievement || !out) throw new InvalidInputError("issue needs --input, --achievement and --out.", ["Example: credreg issue --input examples/recipients.csv --achievement examples/achievement.json --out issued/"]);
      const format = (str(values.format) ?? "files") as OutputFormat;
      if (!["files", "ndjson", "both"].includes(format)) throw new InvalidInputError(`--format ${format} is not one of files, ndjson, both.`);
      const config = resolveConfig(values);
      const result = await withChain(config, async (chain) => {
        const signer = await signerFor(config, chain);
        return withStore(config, (store) =>
          issueBatch(chain, signer, store, {
            input,
            achievement,
            outDir: out,
            confirmations: config.confirmations,
            skipInvalid: values["skip-invalid"] === true,
            dryRun: values["dry-run"] === true,
            format,
            validFrom: str(values["valid-from"]),
            validUntil: str(values["valid-until"]),
            newBatch: values["new-batch"] === true,
            progress: progressBar(output),
            checkpoint: crashCheckpoint,
          }),
        );
      });
      const lines =
        result.status === "dry-run"
          ? [
              `Dry run: ${result.leafCount} credentials, root ${result.root}; nothing was sent or written.`,
              `Anchoring would use ${result.estimate?.gas} gas, at most ${result.estimate?.fee} wei at the current max fee of ${result.estimate?.maxFeePerGas} wei/gas.`,
            ]
          : [
              `${result.status === "issued" ? "Issued" : result.status === "resumed" ? "Resumed and issued" : "Already issued (files rewritten, nothing sent)"}: ${result.leafCount} credentials, root ${result.root}.`,
              `Anchored by ${result.issuer} in transaction ${result.transactionHash} (block ${result.blockNumber}, ${result.anchoredAt}).`,
              `Files in ${result.outDir}: ${result.credentialFiles ? `${result.credentialFiles} credential files in credentials/, ` : ""}${result.ndjsonFile ? "credentials.ndjson, " : ""}batch.jsonl.`,
            ];
      if (result.rejectedRows > 0) lines.push(`${result.rejectedRows} invalid rows were skipped; see ${result.rejectedFile}.`);
      print(output, { ...result, peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024) }, lines);
      return;
    }
    case "revoke":
    case "suspend":
    case "reinstate": {
      const { values, positionals } = parse(rest, { reason: { type: "string" }, batch: { type: "string" }, index: { type: "string" }, for: { type: "string" } });
      const output = { json: values.json === true };
      const reason = parseReason(str(values.reason));
      const forIssuer = str(values.for) === undefined ? undefined : requireAddress(str(values.for), "--for");
      const batchRoot = str(values.batch);
      if (batchRoot === undefined && positionals.length === 0) throw new InvalidInputError(`${command} needs credential files, or --batch <root> --index <i,j,k>.`);
      if (batchRoot !== undefined && positionals.length > 0) throw new InvalidInputError("Give credential files or --batch, not both.");
      if (batchRoot !== undefined && !/^0x[0-9a-fA-F]{64}$/.test(batchRoot)) throw new InvalidInputError(`--batch ${batchRoot} is not a batch root.`, ["Give the 0x-prefixed 32-byte root (see credreg batches)."]);
      const indices = batchRoot === undefined ? [] : parseIndices(str(values.index));
      const config = resolveConfig(values);
      const result = await withChain(config, async (chain) => {
        const signer = await signerFor(config, chain);
        const targets = batchRoot !== undefined ? [{ root: batchRoot.toLowerCase(), indices }] : await targetsFromFiles(positionals, chain, forIssuer ?? (await signer.getAddress()), forIssuer !== undefined);
        return withStore(config, (store) => changeStatuses(chain, signer, store, command as StatusAction, targets, reason, config.confirmations, forIssuer));
      });
      const past = { revoke: "Revoked", suspend: "Suspended", reinstate: "Reinstated" }[command];
      print(
        output,
        { ...result, reasonName: describeReason(reason).name },
        result.transactions.map((tx) => `${past} ${tx.indices.length} credential${tx.indices.length === 1 ? "" : "s"} of batch ${tx.root} (${describeReason(reason).name}) in transaction ${tx.hash} (block ${tx.blockNumber}).`),
      );
      return;
    }
    case "revoke-batch": {
      const { values, positionals } = parse(rest, { reason: { type: "string" }, for: { type: "string" } });
      const output = { json: values.json === true };
      const root = positionals[0];
      if (root === undefined) throw new InvalidInputError("revoke-batch needs the batch root.", ["Example: credreg revoke-batch 0x… --reason Superseded"]);
      const reason = parseReason(str(values.reason));
      const forIssuer = str(values.for) === undefined ? undefined : requireAddress(str(values.for), "--for");
      const config = resolveConfig(values);
      const result = await withChain(config, async (chain) => {
        const signer = await signerFor(config, chain);
        return withStore(config, (store) => revokeWholeBatch(chain, signer, store, root, reason, config.confirmations, forIssuer));
      });
      print(output, { ...result, reasonName: describeReason(reason).name }, [`Revoked batch ${root} (${describeReason(reason).name}) in transaction ${result.hash} (block ${result.blockNumber}).`]);
      return;
    }
    case "batches":
    case "batch": {
      const { values, positionals } = parse(rest, { issuer: { type: "string" } });
      const output = { json: values.json === true };
      const config = resolveConfig(values);
      const result = await withChain(config, async (chain) => {
        const issuer = str(values.issuer) !== undefined ? requireAddress(str(values.issuer), "--issuer") : await (await signerFor(config, chain)).getAddress();
        return withStore(config, async (store) => {
          const describe = async (root: string) => {
            const stored = store.findBatchByRoot(chain.chainId.toString(), chain.registryAddress, issuer, root);
            const onChain = await chain.registry.getFunction("batch")(issuer, root);
            let revoked = 0;
            let suspended = 0;
            if (command === "batch") {
              const words = Math.ceil(Number(onChain.leafCount) / 256);
              for (let word = 0; word < words; word += 1) {
                const [revokedBits, suspendedBits] = (await chain.registry.getFunction("statusWords")(issuer, root, word)) as [bigint, bigint];
                revoked += revokedBits.toString(2).replaceAll("0", "").length;
                suspended += suspendedBits.toString(2).replaceAll("0", "").length;
              }
            }
            return {
              root,
              leafCount: stored?.leafCount ?? Number(onChain.leafCount),
              localState: stored?.state ?? null,
              outDir: stored?.outDir ?? null,
              transactionHash: stored?.txHash ?? null,
              anchored: onChain.anchoredAt !== 0n,
              anchoredAt: onChain.anchoredAt === 0n ? null : new Date(Number(onChain.anchoredAt) * 1000).toISOString(),
              anchoredBlock: onChain.anchoredAt === 0n ? null : Number(onChain.anchoredBlock),
              batchRevoked: onChain.revokedAt !== 0n,
              batchRevocationReason: onChain.revokedAt === 0n ? null : describeReason(onChain.revocationReason).name,
              ...(command === "batch" ? { revoked, suspended } : {}),
            };
          };
          if (command === "batch") {
            const root = positionals[0];
            if (root === undefined || !/^0x[0-9a-fA-F]{64}$/.test(root)) throw new InvalidInputError("batch needs a batch root.", ["Example: credreg batch 0x… (see credreg batches)"]);
            return { issuer, batches: [await describe(root.toLowerCase())] };
          }
          const batches = [];
          for (const stored of store.listBatches(chain.chainId.toString(), chain.registryAddress, issuer)) batches.push(await describe(stored.root));
          return { issuer, batches };
        });
      });
      const lines = result.batches.length === 0 ? [`No batch of ${result.issuer} in the store.`] : result.batches.map((batch) =>
        `${batch.root}  ${batch.leafCount} credentials  ${batch.anchored ? `anchored ${batch.anchoredAt} (block ${batch.anchoredBlock})` : "not anchored"}${batch.batchRevoked ? `  BATCH REVOKED (${batch.batchRevocationReason})` : ""}${"revoked" in batch ? `  revoked ${batch.revoked}, suspended ${batch.suspended}` : ""}  [store: ${batch.localState ?? "none"}]`,
      );
      print(output, command === "batch" ? result.batches[0] : result, lines);
      return;
    }
    case "audit": {
      const { values, positionals } = parse(rest, { from: { type: "string" }, to: { type: "string" }, at: { type: "string" }, format: { type: "string" }, reindex: { type: "boolean" } });
      const format = (str(values.format) ?? (values.json === true ? "json" : "table")) as AuditFormat;
      if (!["table", "json", "csv"].includes(format)) throw new InvalidInputError(`--format ${format} is not one of table, json, csv.`);
      const [subject, ...args] = positionals;
      const result = await runAudit({ subject, args, from: str(values.from), to: str(values.to), at: str(values.at), format, reindex: values.reindex === true, config: resolveConfig(values) });
      if (format === "json") process.stdout.write(`${escapeJsonForTerminal(JSON.stringify(result.document))}\n`);
      else if (format === "csv") process.stdout.write(`${result.text.trimEnd()}\n`);
      else process.stdout.write(`${escapeForTerminal(result.text.trimEnd(), true)}\n`);
      return;
    }
    case "serve": {
      const { values } = parse(rest, { host: { type: "string" }, port: { type: "string" }, out: { type: "string" } });
      const port = str(values.port) ?? "8080";
      if (!/^\d+$/.test(port) || Number(port) > 65535) throw new InvalidInputError(`--port ${port} is not a port number.`);
      const config = resolveConfig(values);
      const logger = pino({ level: process.env.CREDREG_LOG_LEVEL ?? "info" }, pino.destination(2));
      const chain = await openChain(config);
      // With an issuer key configured, the issuer routes are served too (behind API keys bound to that issuer).
      const hasKey = Boolean(process.env.CREDREG_PRIVATE_KEY?.trim()) || config.keystore !== undefined;
      const issuer = hasKey
        ? {
            signer: connectSigner(chain, await loadSigner(config.keystore)),
            store: IssuerStore.open(config.store),
            keys: ApiKeyStore.open(config.store),
            outDir: path.resolve(str(values.out) ?? ".credreg/api-batches"),
          }
        : undefined;
      if (issuer) await mkdir(issuer.outDir, { recursive: true });
      const running = await startServer({ chain, store: config.store, confirmations: config.confirmations, logger, host: str(values.host) ?? "127.0.0.1", port: Number(port), app: { issuer, rpcUrl: config.rpcUrl } });
      process.stdout.write(`credreg serving ${running.url} (registry ${chain.registryAddress} on chain ${chain.chainId}${issuer ? `, issuing as ${await issuer.signer.getAddress()}` : ""}); API description at ${running.url}/openapi.json\n`);
      await new Promise<void>((resolve) => {
        const stop = () => void running.close().then(resolve);
        process.once("SIGTERM", stop);
        process.once("SIGINT", stop);
      });
      return;
    }
    case "apikey": {
      const { values, positionals } = parse(rest, { label: { type: "string" } });
      const output = { json: values.json === true };
      const config = resolveConfig(values);
      const keys = ApiKeyStore.open(config.store);
      try {
        if (positionals[0] === "create") {
          // Bound to the issuer whose key this invocation has: the server that acts for that issuer accepts it.
          const issuer = (await loadSigner(config.keystore)).address;
          const created = keys.create(issuer, str(values.label) ?? "");
          print(output, { key: created.key, prefix: created.prefix, issuer }, [`API key for ${issuer} (shown once, store it now): ${created.key}`, `Revoke it with: credreg apikey revoke ${created.prefix}`]);
        } else if (positionals[0] === "revoke" && positionals[1] !== undefined) {
          const revoked = keys.revoke(positionals[1]);
          if (!revoked) throw new InvalidInputError(`No live API key starts with ${positionals[1]}.`);
          print(output, { revoked: positionals[1] }, [`Revoked the API key ${positionals[1]}….`]);
        } else throw new InvalidInputError("Usage: credreg apikey create [--label <text>] | credreg apikey revoke <prefix>");
      } finally {
        keys.close();
      }
      return;
    }
    case "verify": {
      const { values, positionals } = parse(rest, { at: { type: "string" }, recipient: { type: "string" }, "trusted-issuers": { type: "string" }, verbose: { type: "boolean" } });
      if (values.config !== undefined) {
        throw new InvalidInputError("verify reads no project config file (--config).", ["Give the registry you trust with --registry, or list it in your user-level trust file (docs/verifier.md)."]);
      }
      const output = { json: values.json === true };
      const bar = progressBar(output);
      const { results, summary, trust } = await runVerify({
        paths: positionals,
        at: str(values.at),
        recipient: str(values.recipient),
        trust: resolveVerifierTrust({ "rpc-url": str(values["rpc-url"]), registry: str(values.registry), confirmations: str(values.confirmations), "trusted-issuers": str(values["trusted-issuers"]) }),
        progress: bar === undefined ? undefined : (done, total) => bar("verifying", done, total),
        stdin: async () => {
          const chunks: Buffer[] = [];
          for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
          return Buffer.concat(chunks);
        },
      });
      print(output, { trust, summary, results }, formatVerification(results, summary, values.verbose === true || results.length <= 10, trust));
      process.exitCode = summary.error > 0 ? 2 : summary.invalid > 0 ? 1 : 0;
      return;
    }
    default:
      throw new InvalidInputError(`Unknown command "${command}".`, ["Run credreg --help for the commands."]);
  }
}

/** 1 for what the user gave (input, flags, configuration), 2 for everything on the chain's or machine's side. */
function exitCodeOf(error: unknown): number {
  return error instanceof InvalidInputError || error instanceof InvalidConfigError || error instanceof InvalidCredentialError ? 1 : 2;
}

const argv = process.argv.slice(2);
const json = argv.includes("--json");
try {
  await run(argv);
} catch (error) {
  const code = exitCodeOf(error);
  const base = error instanceof BaseError ? error : undefined;
  const message = base?.shortMessage ?? (error instanceof Error ? error.message : String(error));
  if (json) {
    process.stdout.write(`${escapeJsonForTerminal(JSON.stringify({ error: { code: base?.name ?? "Error", exitCode: code, message, details: base?.metaMessages ?? [], ...(base?.details ? { cause: base.details } : {}) } }))}\n`);
  }
  process.stderr.write(`credreg: ${escapeForTerminal(base ? base.message : message, true)}\n`);
  if (process.env.CREDREG_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  process.exitCode = code;
}
