import { type Request, type Response, Router } from "express";
import { getAddress, isAddress } from "ethers";
import { type AuditFilter, type AuditPosition } from "../audit/AuditIndex.ts";
import { auditEntriesToCsv, toAuditEntry } from "../audit/auditTimeline.ts";
import { decodeAuditCursor, encodeAuditCursor } from "../audit/auditCursor.ts";
import { writeTimelineCsv } from "../audit/writeTimelineCsv.ts";
import { consistencyReport } from "../audit/consistencyReport.ts";
import { describeReason } from "../chain/reasonCodes.ts";
import { batchStatusCounts } from "../audit/batchStatusCounts.ts";
import { verifyCredentials } from "../verifier/verifyCredentials.ts";
import { EMAIL_ADDRESS, MAX_PORTFOLIO_CREDENTIALS, MAX_PORTFOLIO_PATHWAYS } from "../portfolio/portfolioLimits.ts";
import { verifyPortfolioCredentials } from "../portfolio/verifyPortfolioCredentials.ts";
import type { PortfolioOptions } from "../portfolio/summarisePortfolio.ts";
import { type Pathway, pathwayFromValue } from "../stacking/pathwayFromValue.ts";
import { ApiError } from "./ApiError.ts";
import { chainFailureCode } from "./chainFailureCode.ts";
import { parsedBody } from "./strictJsonBody.ts";
import type { ApiContext } from "./apiContext.ts";

/** The most credentials one POST /v1/verify may carry. */
export const MAX_VERIFY_BATCH = 1000;

const ROOT = /^0x[0-9a-fA-F]{64}$/;
const iso = (seconds: number | bigint) => (Number(seconds) === 0 ? null : `${new Date(Number(seconds) * 1000).toISOString().slice(0, 19)}Z`);

function addressParam(request: Request, name: string): string {
  const value = String(request.params[name]);
  if (!isAddress(value)) throw new ApiError(400, "InvalidAddress", `${name} must be a 0x-prefixed 20-byte address.`, [{ path: `$.params.${name}`, value }]);
  return getAddress(value);
}

function rootParam(request: Request): string {
  const value = String(request.params.root);
  if (!ROOT.test(value)) throw new ApiError(400, "InvalidRoot", "root must be a 0x-prefixed 32-byte hex string.", [{ path: "$.params.root", value }]);
  return value.toLowerCase();
}

/** Events a JSON timeline page holds by default, and at most (`?limit=`). */
export const DEFAULT_AUDIT_PAGE = 1_000;
export const MAX_AUDIT_PAGE = 10_000;

/** `?limit=` and `?cursor=` of a timeline request; a bad value is the client's mistake (400). */
function pagingParams(request: Request): { limit: number | undefined; after: AuditPosition | undefined } {
  const { limit, cursor } = request.query;
  let pageLimit: number | undefined;
  if (limit !== undefined) {
    if (typeof limit !== "string" || !/^\d{1,6}$/.test(limit) || Number(limit) < 1 || Number(limit) > MAX_AUDIT_PAGE) {
      throw new ApiError(400, "InvalidLimit", `limit must be a whole number from 1 to ${MAX_AUDIT_PAGE}.`, [{ path: "$.query.limit", value: limit }]);
    }
    pageLimit = Number(limit);
  }
  let after: AuditPosition | undefined;
  if (cursor !== undefined) {
    after = typeof cursor === "string" ? decodeAuditCursor(cursor) : undefined;
    if (after === undefined) throw new ApiError(400, "InvalidCursor", "cursor must be the nextCursor of a previous page, unchanged.", [{ path: "$.query.cursor", value: cursor }]);
  }
  return { limit: pageLimit, after };
}

/** The members a POST /v1/portfolios body may have. */
const PORTFOLIO_MEMBERS = new Set(["credentials", "holderName", "holderEmail", "pathways"]);

/** The portfolio options of a POST /v1/portfolios body, checked (a pathway's problems each with its path). */
function portfolioOptionsOf(body: Record<string, unknown>): PortfolioOptions {
  const { holderName, holderEmail, pathways } = body;
  if (holderName !== undefined && (typeof holderName !== "string" || holderName.trim() === "" || holderName.length > 256)) {
    throw new ApiError(400, "InvalidRequest", "holderName must be the candidate's name (1 to 256 characters).", [{ path: "$.holderName" }]);
  }
  if (holderEmail !== undefined && (typeof holderEmail !== "string" || holderEmail.length > 320 || !EMAIL_ADDRESS.test(holderEmail.trim()))) {
    throw new ApiError(400, "InvalidRequest", "holderEmail must be an e-mail address.", [{ path: "$.holderEmail" }]);
  }
  if (pathways !== undefined && (!Array.isArray(pathways) || pathways.length > MAX_PORTFOLIO_PATHWAYS)) {
    throw new ApiError(400, "InvalidRequest", `pathways must be an array of at most ${MAX_PORTFOLIO_PATHWAYS} pathways.`, [{ path: "$.pathways", count: Array.isArray(pathways) ? pathways.length : null }]);
  }
  const checked: Pathway[] = [];
  for (const [index, value] of ((pathways ?? []) as unknown[]).entries()) {
    const pathway = pathwayFromValue(value, `pathways[${index}]`, `$.pathways[${index}]`);
    if (checked.some((earlier) => earlier.rule.id === pathway.rule.id)) throw new ApiError(400, "InvalidRequest", `pathways[${index}] describes ${pathway.rule.id} again: each pathway once.`, [{ path: `$.pathways[${index}].id` }]);
    checked.push(pathway);
  }
  return {
    ...(holderName === undefined ? {} : { holderName: holderName as string }),
    ...(holderEmail === undefined ? {} : { holderEmail: holderEmail as string }),
    ...(pathways === undefined ? {} : { pathways: checked }),
  };
}

const wantsCsv = (request: Request) => request.query.format === "csv" || request.accepts(["application/json", "text/csv"]) === "text/csv";

/** Public routes: verification, the registry's records, and the auditor's timelines. No key needed. */
export function publicRoutes(context: ApiContext): Router {
  const router = Router();
  const { chain } = context;

  router.post("/v1/verify", async (request, response) => {
    const body: unknown = request.body;
    const document = parsedBody(response);
    if (document === undefined) throw new ApiError(400, "InvalidRequest", "Send a credential, or { \"credentials\": [...] }, as the JSON body.");
    const many = body !== null && typeof body === "object" && !Array.isArray(body) && "credentials" in body;
    const credentials: unknown = many ? (body as { credentials: unknown }).credentials : [body];
    if (!Array.isArray(credentials)) throw new ApiError(400, "InvalidRequest", "credentials must be an array of credentials.", [{ path: "$.credentials" }]);
    if (credentials.length === 0 || credentials.length > MAX_VERIFY_BATCH) {
      throw new ApiError(400, "InvalidRequest", `Send 1 to ${MAX_VERIFY_BATCH} credentials per request.`, [{ path: "$.credentials", count: credentials.length }]);
    }
    // Each credential with the I-JSON problems found inside it (duplicate names, lone surrogates): format failures.
    const inputs = many ? credentials.map((_, index) => document.member("credentials", index)) : [document];
    // A problem outside every credential (e.g. "credentials" given twice) leaves no way to tell what was sent.
    if (inputs.reduce((count, input) => count + input.problems.length, 0) !== document.problems.length) {
      throw new ApiError(400, "InvalidJson", "The body is not I-JSON (RFC 7493) outside the credentials: fix every problem listed.", document.problems);
    }
    const results = await verifyCredentials(inputs, { provider: chain.provider, trustedRegistries: [chain.registryAddress], confirmations: context.confirmations });
    if (!many) {
      response.json(results[0]);
      return;
    }
    const summary = { total: results.length, valid: 0, invalid: 0, error: 0 };
    for (const result of results) summary[result.status] += 1;
    response.json({ summary, results });
  });

  // A candidate's credentials, verified like POST /v1/verify's, summarised for an employer (docs/api.md, Portfolios).
  router.post("/v1/portfolios", async (request, response) => {
    const body: unknown = request.body;
    const document = parsedBody(response);
    if (document === undefined || body === null || typeof body !== "object" || Array.isArray(body)) {
      throw new ApiError(400, "InvalidRequest", 'Send { "credentials": [...] } (and optionally holderName, holderEmail, pathways) as the JSON body.');
    }
    const members = body as Record<string, unknown>;
    const unknown = Object.keys(members).filter((name) => !PORTFOLIO_MEMBERS.has(name));
    if (unknown.length > 0) throw new ApiError(400, "InvalidRequest", `Unknown member${unknown.length === 1 ? "" : "s"}: ${unknown.join(", ")}.`, unknown.map((name) => ({ path: `$.${name}` })));
    const { credentials } = members;
    if (!Array.isArray(credentials)) throw new ApiError(400, "InvalidRequest", "credentials must be an array of credentials.", [{ path: "$.credentials" }]);
    if (credentials.length === 0 || credentials.length > MAX_PORTFOLIO_CREDENTIALS) {
      throw new ApiError(400, "InvalidRequest", `Send 1 to ${MAX_PORTFOLIO_CREDENTIALS} credentials per portfolio.`, [{ path: "$.credentials", count: credentials.length }]);
    }
    const options = portfolioOptionsOf(members);
    // Each credential with the I-JSON problems found inside it: format failures, as in POST /v1/verify.
    const inputs = credentials.map((_, index) => document.member("credentials", index));
    if (inputs.reduce((count, input) => count + input.problems.length, 0) !== document.problems.length) {
      throw new ApiError(400, "InvalidJson", "The body is not I-JSON (RFC 7493) outside the credentials: fix every problem listed.", document.problems);
    }
    const portfolio = await verifyPortfolioCredentials(
      inputs.map((input, index) => ({ source: `credentials[${index}]`, input })),
      { provider: chain.provider, trustedRegistries: [chain.registryAddress], confirmations: context.confirmations },
      options,
    );
    response.json(portfolio);
  });

  router.get("/v1/issuers/:address", async (request, response) => {
    const address = addressParam(request, "address");
    const record = await chain.registry.getFunction("issuer")(address);
    if (record.accreditedAt === 0n) throw new ApiError(404, "IssuerNotFound", `${address} is not an issuer of this registry.`);
    response.json({
      address,
      name: record.name,
      profileId: record.profileId,
      accreditedAt: iso(record.accreditedAt),
      deactivatedAt: iso(record.deactivatedAt),
      deactivationReason: record.deactivatedAt === 0n ? null : describeReason(record.deactivationReason).name,
      active: record.deactivatedAt === 0n,
    });
  });

  router.get("/v1/batches/:issuer/:root", async (request, response) => {
    const issuer = addressParam(request, "issuer");
    const root = rootParam(request);
    const stored = await chain.registry.getFunction("batch")(issuer, root);
    if (stored.anchoredAt === 0n) throw new ApiError(404, "BatchNotFound", `${issuer} never anchored ${root} at this registry.`);
    // Exact counts from the batch's events (cost follows its status changes, not its size).
    await context.updateAuditIndex();
    const { revoked, suspended } = batchStatusCounts(context.audit, chain.chainId.toString(), chain.registryAddress, issuer, root);
    response.json({
      issuer,
      root,
      leafCount: Number(stored.leafCount),
      anchoredAt: iso(stored.anchoredAt),
      anchoredBlock: Number(stored.anchoredBlock),
      batchRevoked: stored.revokedAt !== 0n,
      batchRevokedAt: iso(stored.revokedAt),
      batchRevocationReason: stored.revokedAt === 0n ? null : describeReason(stored.revocationReason).name,
      revoked,
      suspended,
    });
  });

  // JSON: one page (`?limit=`, default 1,000, at most 10,000) and the cursor of the next (null on the last page).
  // CSV: the whole filtered timeline (from `?cursor=`, up to `?limit=` if given), streamed a chunk at a time.
  const timeline = (filterOf: (request: Request) => AuditFilter) => async (request: Request, response: Response) => {
    const filter = filterOf(request);
    const { limit, after } = pagingParams(request);
    const indexed = await context.updateAuditIndex();
    const readPage = (from: AuditPosition | undefined, count: number) => context.audit.page(chain.chainId.toString(), chain.registryAddress, filter, count, from);
    if (wantsCsv(request)) {
      response.type("text/csv");
      await writeTimelineCsv(response, readPage, { after, limit });
      response.end();
      return;
    }
    const pageSize = limit ?? DEFAULT_AUDIT_PAGE;
    const events = readPage(after, pageSize + 1);
    const page = events.slice(0, pageSize);
    const last = page[page.length - 1];
    const nextCursor = events.length > pageSize && last !== undefined ? encodeAuditCursor(last) : null;
    response.json({ chainId: chain.chainId.toString(), registry: chain.registryAddress, indexedTo: indexed.toBlock, entries: page.map(toAuditEntry), nextCursor });
  };
  router.get("/v1/audit/issuers/:address", timeline((request) => ({ issuer: addressParam(request, "address") })));
  router.get("/v1/audit/batches/:issuer/:root", timeline((request) => ({ issuer: addressParam(request, "issuer"), root: rootParam(request) })));
  router.get("/v1/audit/registry", timeline(() => ({})));
  router.get("/v1/audit/report", async (request, response) => {
    const issuer = typeof request.query.issuer === "string" ? (isAddress(request.query.issuer) ? getAddress(request.query.issuer) : undefined) : undefined;
    if (request.query.issuer !== undefined && issuer === undefined) throw new ApiError(400, "InvalidAddress", "issuer must be a 0x-prefixed 20-byte address.", [{ path: "$.query.issuer" }]);
    await context.updateAuditIndex();
    const report = consistencyReport(context.audit.events(chain.chainId.toString(), chain.registryAddress), issuer);
    if (request.accepts(["application/json", "text/csv"]) === "text/csv") {
      response.type("text/csv").send(auditEntriesToCsv([...report.foreignChanges, ...report.changesAfterDeactivation]));
      return;
    }
    response.json(report);
  });

  router.get("/healthz", async (_request, response) => {
    try {
      // Asked of the chain itself (the read cache reuses the latest block number for a moment: not a health check).
      const block = (await chain.provider.send("eth_getBlockByNumber", ["latest", false])) as { number: string };
      const latest = Number(block.number);
      const cursor = context.audit.cursor(chain.chainId.toString(), chain.registryAddress);
      response.json({ status: "ok", chain: { reachable: true, chainId: chain.chainId.toString(), latestBlock: latest, registry: chain.registryAddress }, indexer: { finalBlock: cursor?.finalBlock ?? null, lagBlocks: cursor === undefined ? null : latest - cursor.finalBlock } });
    } catch (error) {
      // Only the failure's code: ethers' messages quote the RPC URL (a provider's API key) and the upstream body.
      const code = chainFailureCode(error) ?? "UNKNOWN";
      context.logger.warn({ code }, "healthz: the chain cannot be reached");
      response.status(503).json({ status: "degraded", chain: { reachable: false, error: `The chain's RPC failed (${code}).`, code }, indexer: null });
    }
  });
  return router;
}
