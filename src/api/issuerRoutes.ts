import { randomUUID } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdtemp, readFile } from "node:fs/promises";
import { pipeline } from "node:stream/promises";
import path from "node:path";
import { type NextFunction, type Request, type Response, Router } from "express";
import type { Signer } from "ethers";
import { changeStatuses, type StatusAction } from "../issuer/changeStatuses.ts";
import { issueBatch } from "../issuer/issueBatch.ts";
import { parseReason } from "../issuer/changeStatuses.ts";
import type { ApiKeyStore } from "../store/ApiKeyStore.ts";
import type { IssuerStore } from "../store/IssuerStore.ts";
import { withIssuerLock } from "../store/withIssuerLock.ts";
import { signingKeySourceOfSigner } from "../config/loadSigningKey.ts";
import { defaultStatusDir, writeStatusLists } from "../issuer/writeStatusLists.ts";
import { ApiError } from "./ApiError.ts";
import { MAX_PATHWAY_COMPONENTS } from "../credential/v2/pathwayRuleSchema.ts";
import { pathwayFromValue } from "../stacking/pathwayFromValue.ts";
import { type StackHolder, stackCredentials } from "../stacking/stackCredentials.ts";
import type { ApiContext } from "./apiContext.ts";

/** The issuer this server acts for: its key, its store, where its batches' files go. */
export type IssuerService = {
  readonly signer: Signer;
  readonly store: IssuerStore;
  readonly keys: ApiKeyStore;
  readonly outDir: string;
  /** Where format 2 status list credentials are written (default: `status/` beside the store). */
  readonly statusDir?: string | undefined;
};

/** The most holders one POST /v1/stacks may carry (each with up to MAX_PATHWAY_COMPONENTS credentials). */
export const MAX_STACK_HOLDERS = 100;

/** The most recipients one POST /v1/batches may carry (larger batches: `credreg issue`). */
export const MAX_API_BATCH = 100_000;

/** Above this many recipients, POST /v1/batches answers 202 with a job to poll instead of waiting. */
export const SYNC_BATCH_LIMIT = 1_000;

/** How long a finished job is kept in memory (default 1 hour); its batch stays in the store and the output folder. */
export const DEFAULT_JOB_TTL_MS = 60 * 60 * 1000;

/** How many finished jobs are kept at most (default 1,000); the oldest finished are evicted first. */
export const DEFAULT_MAX_JOBS = 1_000;

/** Bounds of the in-memory job table. */
export type JobLimits = { readonly ttlMs: number; readonly maxJobs: number };

/** What a finished job's result is: the batch's summary, never its credentials (they are in `credentials.ndjson`). */
type JobResult = {
  status: string;
  root: string;
  leafCount: number;
  transactionHash: string | null;
  blockNumber: number | null;
  anchoredAt: string | null;
  /** Where to fetch the credentials, streamed as NDJSON from the file the issuer pipeline wrote. */
  credentials: string;
};

/** A job's in-memory record: small and bounded whatever the batch's size (no credential array). */
export type Job = {
  id: string;
  state: "running" | "done" | "failed";
  step: string;
  done: number;
  total: number;
  result?: JobResult;
  error?: unknown;
};

/** The NDJSON file of a finished job's credentials (server-side only: never sent) and when the job finished. */
type JobRecord = { readonly job: Job; ndjsonFile?: string | undefined; finishedAt?: number | undefined };

export const JOB_EVICTED_MESSAGE =
  "No such job: finished jobs are kept in memory for a limited time; a finished batch stays in the issuer's store and output folder: GET /v1/batches/:issuer/:root gives its record.";

/**
 * Issuer routes, behind a Bearer API key bound to this server's issuer: issue a batch, revoke, suspend, reinstate.
 * One chain write at a time (a single signer must not race its own nonces). Nothing is done for a request that is
 * refused (401/403/400).
 */
export function issuerRoutes(context: ApiContext, service: IssuerService | undefined, limits: JobLimits = { ttlMs: DEFAULT_JOB_TTL_MS, maxJobs: DEFAULT_MAX_JOBS }): Router {
  const router = Router();
  const jobs = new Map<string, JobRecord>();
  /** Drops finished jobs older than the TTL, then the oldest finished beyond the maximum count (running jobs stay). */
  const evictJobs = () => {
    const now = Date.now();
    const finished: [string, number][] = [];
    for (const [id, record] of jobs) {
      if (record.finishedAt === undefined) continue;
      if (now - record.finishedAt >= limits.ttlMs) jobs.delete(id);
      else finished.push([id, record.finishedAt]);
    }
    if (finished.length > limits.maxJobs) {
      finished.sort((a, b) => a[1] - b[1]);
      for (const [id] of finished.slice(0, finished.length - limits.maxJobs)) jobs.delete(id);
    }
  };
  const findJob = (request: Request): JobRecord => {
    evictJobs();
    const record = jobs.get(String(request.params.id));
    if (record === undefined) throw new ApiError(404, "JobNotFound", JOB_EVICTED_MESSAGE);
    return record;
  };
  let queue: Promise<unknown> = Promise.resolve();
  const serialized = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };

  const authenticate = async (request: Request, response: Response, next: NextFunction) => {
    if (service === undefined) {
      next(new ApiError(503, "NoIssuerKey", "This server holds no issuer key: start it with CREDREG_PRIVATE_KEY or CREDREG_KEYSTORE to accept issuer requests."));
      return;
    }
    const header = request.headers.authorization ?? "";
    const match = /^Bearer (\S+)$/.exec(header);
    response.setHeader("WWW-Authenticate", 'Bearer realm="credreg"');
    if (match === null) {
      next(new ApiError(401, "Unauthorized", "Send an API key: Authorization: Bearer <key> (create one with credreg apikey create)."));
      return;
    }
    const key = service.keys.find(match[1]!);
    if (key === undefined) {
      next(new ApiError(401, "Unauthorized", "The API key is unknown or revoked."));
      return;
    }
    const issuer = (await service.signer.getAddress()).toLowerCase();
    if (key.issuer !== issuer) {
      next(new ApiError(403, "Forbidden", "This API key belongs to another issuer than the one this server acts for."));
      return;
    }
    next();
  };

  router.post("/v1/batches", authenticate, async (request, response) => {
    const body = request.body as { recipients?: unknown; achievement?: unknown; validFrom?: unknown; validUntil?: unknown; formatVersion?: unknown } | null;
    if (body === null || typeof body !== "object" || !Array.isArray(body.recipients)) throw new ApiError(400, "InvalidRequest", "recipients must be an array of recipients.", [{ path: "$.recipients" }]);
    if (body.recipients.length > MAX_API_BATCH) throw new ApiError(400, "InvalidRequest", `At most ${MAX_API_BATCH} recipients per request; issue larger batches with credreg issue.`, [{ path: "$.recipients", count: body.recipients.length }]);
    if (body.achievement === undefined) throw new ApiError(400, "InvalidRequest", "achievement is required.", [{ path: "$.achievement" }]);
    for (const field of ["validFrom", "validUntil"] as const) {
      if (body[field] !== undefined && typeof body[field] !== "string") throw new ApiError(400, "InvalidRequest", `${field} must be a date-time string.`, [{ path: `$.${field}` }]);
    }
    if (body.formatVersion !== undefined && body.formatVersion !== 1 && body.formatVersion !== 2) {
      throw new ApiError(400, "InvalidRequest", "formatVersion must be 1 (the default) or 2 (signed Open Badges 3.0).", [{ path: "$.formatVersion" }]);
    }
    const formatVersion = (body.formatVersion ?? 1) as 1 | 2;
    const recipients = body.recipients;
    const achievement = body.achievement;
    const issue = (job?: Job) =>
      serialized(async () => {
        const outDir = await mkdtemp(path.join(service!.outDir, "batch-"));
        const result = await issueBatch(context.chain, service!.signer, service!.store, {
          input: { recipients },
          achievement: { value: achievement },
          outDir,
          format: "ndjson",
          // Format 1 unless the request asks for 2 (its clients' contract); `credreg issue` defaults to 2. Format 2's
          // status lists go where the CLI's go (--status-dir / CREDREG_STATUS_DIR, else status/ beside the store).
          formatVersion,
          statusBaseUrl: process.env.CREDREG_STATUS_BASE_URL?.trim() || undefined,
          statusDir: service!.statusDir,
          confirmations: context.confirmations,
          validFrom: body.validFrom as string | undefined,
          validUntil: body.validUntil as string | undefined,
          progress: job === undefined ? undefined : (step, done, total) => Object.assign(job, { step, done, total }),
        });
        const summary = { status: result.status, root: result.root, leafCount: result.leafCount, transactionHash: result.transactionHash, blockNumber: result.blockNumber, anchoredAt: result.anchoredAt };
        return { httpStatus: result.status === "issued" ? 201 : 200, summary, ndjsonFile: result.ndjsonFile! };
      });
    if (recipients.length <= SYNC_BATCH_LIMIT) {
      const { httpStatus, summary, ndjsonFile } = await issue();
      const credentials = (await readFile(ndjsonFile, "utf8")).trim().split("\n").map((line) => JSON.parse(line) as unknown);
      response.status(httpStatus).json({ ...summary, credentials });
      return;
    }
    // A large batch: answered at once with a job to poll (GET /v1/jobs/:id), its progress, and in the end its result.
    // Its record holds the batch's summary only; the credentials are streamed from the pipeline's NDJSON file.
    evictJobs();
    const job: Job = { id: randomUUID(), state: "running", step: "queued", done: 0, total: recipients.length };
    const record: JobRecord = { job };
    jobs.set(job.id, record);
    issue(job).then(
      ({ summary, ndjsonFile }) => {
        Object.assign(job, { state: "done", step: "done", done: job.total, result: { ...summary, credentials: `/v1/jobs/${job.id}/credentials` } });
        Object.assign(record, { ndjsonFile, finishedAt: Date.now() });
      },
      (error: unknown) => {
        Object.assign(job, { state: "failed", error: error instanceof Error ? { message: (error as { shortMessage?: string }).shortMessage ?? error.message, details: (error as { metaMessages?: string[] }).metaMessages ?? [] } : String(error) });
        record.finishedAt = Date.now();
      },
    );
    response.status(202).setHeader("Location", `/v1/jobs/${job.id}`).json({ job: job.id, state: job.state, poll: `/v1/jobs/${job.id}` });
  });

  router.get("/v1/jobs/:id", authenticate, (request, response) => {
    response.json(findJob(request).job);
  });

  // A finished job's credentials, one JSON line each, streamed byte for byte from the file the pipeline wrote.
  router.get("/v1/jobs/:id/credentials", authenticate, async (request, response) => {
    const record = findJob(request);
    if (record.job.state !== "done" || record.ndjsonFile === undefined) {
      throw new ApiError(409, "JobNotDone", `The job is ${record.job.state}: its credentials can be fetched once it is done.`, [{ state: record.job.state }]);
    }
    response.type("application/x-ndjson");
    await pipeline(createReadStream(record.ndjsonFile), response);
  });

  const statusRoute = (action: StatusAction) => async (request: Request, response: Response) => {
    const body = request.body as { root?: unknown; indices?: unknown; reason?: unknown } | null;
    if (body === null || typeof body !== "object" || typeof body.root !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(body.root)) {
      throw new ApiError(400, "InvalidRequest", "root must be a 0x-prefixed 32-byte hex string.", [{ path: "$.root" }]);
    }
    if (!Array.isArray(body.indices) || body.indices.length === 0 || body.indices.length > 10_000 || !body.indices.every((index) => Number.isSafeInteger(index) && (index as number) >= 0)) {
      throw new ApiError(400, "InvalidRequest", "indices must be an array of 1 to 10,000 leaf indices.", [{ path: "$.indices" }]);
    }
    const reason = parseReason(body.reason === undefined ? undefined : String(body.reason));
    const root = body.root.toLowerCase();
    const indices = body.indices as number[];
    // Under the account's cross-process lock too: a CLI run or another server with the same key never interleaves.
    const lock = { storeFile: service!.store.file, chainId: context.chain.chainId.toString(), genesisHash: context.chain.genesisHash, issuer: await service!.signer.getAddress() };
    const result = await serialized(() =>
      withIssuerLock(lock, async () => {
        const changed = await changeStatuses(context.chain, service!.signer, service!.store, action, [{ root, indices }], reason, context.confirmations);
        // A format 2 batch's status list credential, rewritten from the chain (none for a format 1 batch).
        const statusLists = await writeStatusLists(context.chain, service!.store, lock.issuer, signingKeySourceOfSigner(service!.signer), service!.statusDir ?? defaultStatusDir(service!.store.file), [root]);
        return { ...changed, statusLists: statusLists.map((list) => ({ root: list.root, url: list.url, revoked: list.revoked, block: list.block })) };
      }),
    );
    response.json(result);
  };
  // Stacked credentials (docs/stacking.md): the same use case as `credreg stack`, the components sent as credentials.
  router.post("/v1/stacks", authenticate, async (request, response) => {
    const body = request.body as { pathway?: unknown; holders?: unknown; validFrom?: unknown; validUntil?: unknown } | null;
    if (body === null || typeof body !== "object" || body.pathway === undefined) throw new ApiError(400, "InvalidRequest", "pathway is required (a pathway as in examples/pathway.json).", [{ path: "$.pathway" }]);
    if (!Array.isArray(body.holders) || body.holders.length === 0 || body.holders.length > MAX_STACK_HOLDERS) {
      throw new ApiError(400, "InvalidRequest", `holders must be an array of 1 to ${MAX_STACK_HOLDERS} holders: { name?, email?, components: [credential, ...] }.`, [{ path: "$.holders" }]);
    }
    for (const field of ["validFrom", "validUntil"] as const) {
      if (body[field] !== undefined && typeof body[field] !== "string") throw new ApiError(400, "InvalidRequest", `${field} must be a date-time string.`, [{ path: `$.${field}` }]);
    }
    const holders: StackHolder[] = body.holders.map((holder: unknown, index: number) => {
      const { name, email, components, ...rest } = (holder ?? {}) as { name?: unknown; email?: unknown; components?: unknown };
      const at = `$.holders[${index}]`;
      if (typeof holder !== "object" || holder === null || Array.isArray(holder)) throw new ApiError(400, "InvalidRequest", `${at} must be an object { name?, email?, components }.`, [{ path: at }]);
      if (Object.keys(rest).length > 0) throw new ApiError(400, "InvalidRequest", `${at} has unknown members: ${Object.keys(rest).join(", ")}.`, [{ path: at }]);
      for (const [field, value] of [["name", name], ["email", email]] as const) {
        if (value !== undefined && (typeof value !== "string" || value.trim() === "")) throw new ApiError(400, "InvalidRequest", `${at}.${field} must be a non-empty string.`, [{ path: `${at}.${field}` }]);
      }
      if (!Array.isArray(components) || components.length === 0 || components.length > MAX_PATHWAY_COMPONENTS) {
        throw new ApiError(400, "InvalidRequest", `${at}.components must be an array of 1 to ${MAX_PATHWAY_COMPONENTS} credentials.`, [{ path: `${at}.components` }]);
      }
      return {
        name: name as string | undefined,
        email: email as string | undefined,
        // Each component as sent: a credential (JSON) or a baked SVG badge's text.
        components: components.map((component: unknown, position: number) => ({ source: `${at}.components[${position}]`, content: typeof component === "string" ? component : JSON.stringify(component) })),
      };
    });
    const pathway = pathwayFromValue(body.pathway, "The pathway", "$.pathway");
    const result = await serialized(async () =>
      stackCredentials(context.chain, service!.signer, service!.store, {
        pathway,
        holders,
        outDir: await mkdtemp(path.join(service!.outDir, "stack-")),
        format: "ndjson",
        statusBaseUrl: process.env.CREDREG_STATUS_BASE_URL?.trim() || undefined,
        statusDir: service!.statusDir,
        confirmations: context.confirmations,
        validFrom: body.validFrom as string | undefined,
        validUntil: body.validUntil as string | undefined,
      }),
    );
    const credentials = (await readFile(result.ndjsonFile!, "utf8")).trim().split("\n").map((line) => JSON.parse(line) as unknown);
    response.status(result.status === "issued" ? 201 : 200).json({ status: result.status, root: result.root, leafCount: result.leafCount, transactionHash: result.transactionHash, blockNumber: result.blockNumber, anchoredAt: result.anchoredAt, holders: result.holders, credentials });
  });

  router.post("/v1/revocations", authenticate, statusRoute("revoke"));
  router.post("/v1/suspensions", authenticate, statusRoute("suspend"));
  router.post("/v1/reinstatements", authenticate, statusRoute("reinstate"));
  return router;
}
