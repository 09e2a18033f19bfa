/** The OpenAPI 3.1 description of the HTTP API, served at /openapi.json (a test keeps it true to the routes). */
const errorResponse = { description: "An error", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } };
const address = (name: string, where: "path" | "query" = "path") => ({ name, in: where, required: where === "path", schema: { type: "string", pattern: "^0x[0-9a-fA-F]{40}$" } });
const root = { name: "root", in: "path", required: true, schema: { type: "string", pattern: "^0x[0-9a-fA-F]{64}$" } };
const timeline = {
  description: "The audit timeline, oldest first: JSON one page at a time (nextCursor: the next page's cursor, null on the last); CSV (Accept: text/csv or ?format=csv) the whole filtered timeline, streamed row by row (from ?cursor=, up to ?limit= when given)",
  content: { "application/json": { schema: { $ref: "#/components/schemas/Timeline" } }, "text/csv": { schema: { type: "string" } } },
};
const paging = [
  { name: "limit", in: "query", required: false, description: "Events a JSON page holds: 1 to 10,000 (default 1,000). 400 InvalidLimit otherwise.", schema: { type: "integer", minimum: 1, maximum: 10000, default: 1000 } },
  { name: "cursor", in: "query", required: false, description: "The nextCursor of the previous page, unchanged (opaque). 400 InvalidCursor otherwise.", schema: { type: "string" } },
  { name: "format", in: "query", required: false, description: "csv: the CSV timeline, as with Accept: text/csv", schema: { type: "string", enum: ["csv"] } },
];

const statusBody = { required: true, content: { "application/json": { schema: { type: "object", required: ["root", "indices", "reason"], properties: { root: { type: "string" }, indices: { type: "array", items: { type: "integer" } }, reason: { oneOf: [{ type: "integer" }, { type: "string" }] } } } } } };
const statusResponses = { "200": { description: "The transactions sent" }, "400": errorResponse, "401": errorResponse, "403": errorResponse, "422": errorResponse, "503": errorResponse };

export const openapiDocument = {
  openapi: "3.1.0",
  info: {
    title: "credreg",
    version: "1",
    description:
      "Blockchain-anchored registry for micro-credentials: verification and audit over HTTP. Every error is { error: { code, message, details } }; bodies up to 8 MiB (413 BodyTooLarge beyond); 600 public requests a minute per client (429 RateLimited with Retry-After); chain failures are 502 ChainUnavailable, named by their code only.",
  },
  paths: {
    "/v1/verify": {
      post: {
        summary: "Verify one credential, or up to 1,000 ({ credentials: [...] }), against the chain alone",
        requestBody: { required: true, content: { "application/json": { schema: { oneOf: [{ type: "object", description: "A credential file" }, { type: "object", required: ["credentials"], properties: { credentials: { type: "array", minItems: 1, maxItems: 1000 } } }] } } } },
        responses: { "200": { description: "The verification result(s); an invalid credential is a result, not an error", content: { "application/json": { schema: { type: "object" } } } }, "400": errorResponse, "413": errorResponse, "415": errorResponse, "429": errorResponse },
      },
    },
    "/v1/issuers/{address}": { get: { summary: "An issuer's on-chain record", parameters: [address("address")], responses: { "200": { description: "The issuer" }, "400": errorResponse, "404": errorResponse } } },
    "/v1/batches/{issuer}/{root}": { get: { summary: "A batch's on-chain record and counts", parameters: [address("issuer"), root], responses: { "200": { description: "The batch" }, "400": errorResponse, "404": errorResponse } } },
    "/v1/audit/issuers/{address}": { get: { summary: "An issuer's timeline from chain events", parameters: [address("address"), ...paging], responses: { "200": timeline, "400": errorResponse } } },
    "/v1/audit/batches/{issuer}/{root}": { get: { summary: "A batch's timeline from chain events", parameters: [address("issuer"), root, ...paging], responses: { "200": timeline, "400": errorResponse } } },
    "/v1/audit/registry": { get: { summary: "The registry's whole timeline", parameters: paging, responses: { "200": timeline, "400": errorResponse } } },
    "/v1/audit/report": { get: { summary: "Consistency report of an issuer or the registry", parameters: [address("issuer", "query")], responses: { "200": { description: "The report" }, "400": errorResponse } } },
    "/v1/batches": {
      post: {
        summary: "Issue a batch: built, anchored, and returned as credential files (above 1,000 recipients, up to 100,000: 202 with a job to poll)",
        security: [{ apiKey: [] }],
        requestBody: { required: true, content: { "application/json": { schema: { type: "object", required: ["recipients", "achievement"], properties: { recipients: { type: "array", maxItems: 100000 }, achievement: { type: "object" }, validFrom: { type: "string" }, validUntil: { type: "string" }, formatVersion: { type: "integer", enum: [1, 2], default: 1, description: "2: signed Open Badges 3.0 credentials (docs/credential-format-v2.md)" } } } } } },
        responses: { "201": { description: "Issued: root, transaction, credentials" }, "200": { description: "Already issued (the same request again)" }, "202": { description: "A large batch: poll the job at Location" }, "400": errorResponse, "401": errorResponse, "403": errorResponse, "422": errorResponse, "503": errorResponse },
      },
    },
    "/v1/jobs/{id}": {
      get: {
        summary: "A batch job's state, progress and, once done, its result: the batch's summary (root, counts, transaction) and where to fetch its credentials. Finished jobs are kept 1 hour (at most 1,000); after that 404 JobNotFound: the batch is in the store (GET /v1/batches/{issuer}/{root})",
        security: [{ apiKey: [] }],
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
        responses: { "200": { description: "The job" }, "401": errorResponse, "404": errorResponse },
      },
    },
    "/v1/jobs/{id}/credentials": {
      get: {
        summary: "A finished job's credentials, one JSON credential a line, streamed byte for byte from the file the issuer pipeline wrote",
        security: [{ apiKey: [] }],
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
        responses: { "200": { description: "The credentials", content: { "application/x-ndjson": { schema: { type: "string" } } } }, "401": errorResponse, "404": errorResponse, "409": errorResponse },
      },
    },
    "/v1/revocations": { post: { summary: "Revoke credentials of one of this issuer's batches", security: [{ apiKey: [] }], requestBody: statusBody, responses: statusResponses } },
    "/v1/suspensions": { post: { summary: "Suspend credentials", security: [{ apiKey: [] }], requestBody: statusBody, responses: statusResponses } },
    "/v1/reinstatements": { post: { summary: "Reinstate suspended credentials", security: [{ apiKey: [] }], requestBody: statusBody, responses: statusResponses } },
    "/healthz": { get: { summary: "Liveness, chain reachability and indexer lag", responses: { "200": { description: "Healthy" }, "503": { description: "The chain cannot be reached" } } } },
    "/openapi.json": { get: { summary: "This document", responses: { "200": { description: "OpenAPI 3.1" } } } },
  },
  components: {
    securitySchemes: { apiKey: { type: "http", scheme: "bearer", description: "An API key from credreg apikey create, bound to this server's issuer" } },
    schemas: {
      Error: { type: "object", required: ["error"], properties: { error: { type: "object", required: ["code", "message", "details"], properties: { code: { type: "string" }, message: { type: "string" }, details: { type: "array" } } } } },
      Timeline: { type: "object", properties: { chainId: { type: "string" }, registry: { type: "string" }, indexedTo: { type: "integer" }, entries: { type: "array", items: { type: "object" } }, nextCursor: { type: ["string", "null"], description: "Pass as ?cursor= for the next page; null on the last page" } } },
    },
  },
} as const;
