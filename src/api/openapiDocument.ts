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

const json = (schema: object) => ({ "application/json": { schema } });
const hex32 = { type: "string", pattern: "^0x[0-9a-fA-F]{64}$" };
const statusBody = { required: true, content: json({ type: "object", required: ["root", "indices", "reason"], properties: { root: hex32, indices: { type: "array", minItems: 1, maxItems: 10000, items: { type: "integer", minimum: 0 } }, reason: { oneOf: [{ type: "integer" }, { type: "string" }], description: "A reason code or its name (docs/reason-codes.md)" } } }) };
const statusResponses = {
  "200": { description: "The transactions sent, the credentials that were already so, and the status list credentials rewritten", content: json({ $ref: "#/components/schemas/StatusChange" }) },
  "400": errorResponse,
  "401": errorResponse,
  "403": errorResponse,
  "422": errorResponse,
  "502": errorResponse,
  "503": errorResponse,
};
/** Every event an audit timeline can hold: the registry's (its whole ABI) and its IssuerKeyRegistry's. */
const auditEvents = [
  "IssuerAccredited",
  "IssuerDeactivated",
  "BatchAnchored",
  "BatchRevoked",
  "CredentialRevoked",
  "CredentialSuspended",
  "CredentialReinstated",
  "StatusChangedByAccreditor",
  "RoleGranted",
  "RoleRevoked",
  "RoleAdminChanged",
  "DefaultAdminTransferScheduled",
  "DefaultAdminTransferCanceled",
  "DefaultAdminDelayChangeScheduled",
  "DefaultAdminDelayChangeCanceled",
  "SigningKeyAdded",
  "SigningKeyRetired",
  "SigningKeyRevoked",
];
const utcTime = { type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z$" };
const nullable = (schema: { type: string } & Record<string, unknown>, description: string) => ({ ...schema, type: [schema.type, "null"], description });

export const openapiDocument = {
  openapi: "3.1.0",
  info: {
    title: "credreg",
    version: "1",
    description:
      "Blockchain-anchored registry for micro-credentials: verification and audit over HTTP. Every error is { error: { code, message, details } }; bodies up to 16 MiB (413 BodyTooLarge beyond); 600 public requests a minute per client (429 RateLimited with Retry-After); chain failures are 502 ChainUnavailable, named by their code only. Not listed under paths, because they are not fixed routes: with a status directory (credreg serve always has one: --status-dir, CREDREG_STATUS_DIR, else status/ beside the store), GET on any path ending in /status/<name> answers the status list credential <name> written there (application/vc, Access-Control-Allow-Origin: *, Cache-Control: public, max-age=60; 404 when there is none).",
  },
  paths: {
    "/v1/verify": {
      post: {
        summary: "Verify one credential, or up to 1,000 ({ credentials: [...] }), against the chain alone",
        requestBody: { required: true, content: { "application/json": { schema: { oneOf: [{ type: "object", description: "A credential file" }, { type: "object", required: ["credentials"], properties: { credentials: { type: "array", minItems: 1, maxItems: 1000 } } }] } } } },
        responses: { "200": { description: "The verification result(s); an invalid credential is a result, not an error", content: { "application/json": { schema: { type: "object" } } } }, "400": errorResponse, "413": errorResponse, "415": errorResponse, "429": errorResponse },
      },
    },
    "/v1/portfolios": {
      post: {
        summary: "A candidate's portfolio: up to 1,000 credentials verified as POST /v1/verify does, then summarised for the candidate (skills, credits, EQF level, qualifications, pathways), other holders' and invalid credentials listed apart",
        requestBody: {
          required: true,
          content: json({
            type: "object",
            required: ["credentials"],
            additionalProperties: false,
            properties: {
              credentials: { type: "array", minItems: 1, maxItems: 1000, items: { type: "object", description: "A credential file (format 1 or 2)" } },
              holderName: { type: "string", minLength: 1, maxLength: 256, description: "The candidate's name (compared after Unicode NFC, collapsing spaces, ignoring case); default: the name holding the most valid credentials, the first met on a tie" },
              holderEmail: { type: "string", maxLength: 320, description: "The candidate's e-mail address: a valid credential whose salted e-mail hash is not this address's (or that has none) is listed as another holder's" },
              pathways: { type: "array", maxItems: 50, items: { type: "object", description: "A pathway, as a pathway file holds it (examples/pathway.json, docs/stacking.md)" }, description: "Pathways to report progress on; each pathway id once" },
            },
          }),
        },
        responses: {
          "200": { description: "The portfolio; invalid credentials are listed in it, not errors", content: json({ $ref: "#/components/schemas/Portfolio" }) },
          "400": errorResponse,
          "413": errorResponse,
          "415": errorResponse,
          "429": errorResponse,
        },
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
        requestBody: {
          required: true,
          content: json({
            type: "object",
            required: ["recipients", "achievement"],
            properties: {
              recipients: { type: "array", maxItems: 100000 },
              achievement: { type: "object" },
              validFrom: { type: "string", description: "A date-time" },
              validUntil: { type: "string", description: "A date-time" },
              formatVersion: {
                type: "integer",
                enum: [1, 2],
                default: 1,
                description:
                  "1 (the default): credreg credential files (docs/credential-format.md). 2: signed Open Badges 3.0 credentials (docs/credential-format-v2.md), each with a DataIntegrityProof by the issuer's signing key (bound on chain on first use) and a BitstringStatusListEntry; the batch's status list credential is written to the server's status directory. Anything else: 400 InvalidRequest.",
              },
            },
          }),
        },
        responses: {
          "201": { description: "Issued and anchored: the batch's summary and its credentials", content: json({ $ref: "#/components/schemas/IssuedBatch" }) },
          "200": { description: "Already issued (the same request again), or finished after an interrupted run: the same batch, never a second anchor", content: json({ $ref: "#/components/schemas/IssuedBatch" }) },
          "202": {
            description: "A large batch: poll the job at Location",
            content: json({ type: "object", required: ["job", "state", "poll"], properties: { job: { type: "string" }, state: { type: "string", enum: ["running"] }, poll: { type: "string", description: "/v1/jobs/{id}" } } }),
          },
          "400": errorResponse,
          "401": errorResponse,
          "403": errorResponse,
          "422": errorResponse,
          "502": errorResponse,
          "503": errorResponse,
        },
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
    "/v1/stacks": {
      post: {
        summary: "Stack credentials (docs/stacking.md): verify each holder's component credentials (valid now, issued to that holder, the pathway's rule met) and issue one stacked credential (format 2) per holder, in one anchored batch",
        security: [{ apiKey: [] }],
        requestBody: {
          required: true,
          content: json({
            type: "object",
            required: ["pathway", "holders"],
            properties: {
              pathway: { type: "object", description: "A pathway as in examples/pathway.json: type CredregPathway, id, qualification, components, required, minCredits?, minEqfLevel?" },
              holders: {
                type: "array",
                minItems: 1,
                maxItems: 100,
                items: {
                  type: "object",
                  required: ["components"],
                  properties: {
                    name: { type: "string", description: "The name every component must be issued to" },
                    email: { type: "string", description: "The e-mail address every component's hashed e-mail must match" },
                    components: { type: "array", minItems: 1, maxItems: 50, items: { description: "A credential (format 1 or 2) as JSON, or a baked SVG badge's text" } },
                  },
                },
              },
              validFrom: { type: "string", description: "A date-time" },
              validUntil: { type: "string", description: "A date-time" },
            },
          }),
        },
        responses: {
          "201": { description: "Stacked and anchored: the batch's summary, each holder's counted components, and the stacked credentials", content: json({ type: "object", required: ["status", "root", "leafCount", "holders", "credentials"], properties: { status: { type: "string", enum: ["issued", "already-issued", "resumed"] }, root: { type: "string" }, leafCount: { type: "integer" }, transactionHash: { type: ["string", "null"] }, blockNumber: { type: ["integer", "null"] }, anchoredAt: { type: ["string", "null"] }, holders: { type: "array" }, credentials: { type: "array" } } }) },
          "200": { description: "The same request again: the same batch, never a second anchor" },
          "400": errorResponse,
          "401": errorResponse,
          "403": errorResponse,
          "502": errorResponse,
          "503": errorResponse,
        },
      },
    },
    "/v1/revocations": { post: { summary: "Revoke credentials of one of this issuer's batches (a format 2 batch's status list credential is rewritten)", security: [{ apiKey: [] }], requestBody: statusBody, responses: statusResponses } },
    "/v1/suspensions": { post: { summary: "Suspend credentials (a format 2 batch's status list credential is rewritten too: it lists revocations only)", security: [{ apiKey: [] }], requestBody: statusBody, responses: statusResponses } },
    "/v1/reinstatements": { post: { summary: "Reinstate suspended credentials (a format 2 batch's status list credential is rewritten too)", security: [{ apiKey: [] }], requestBody: statusBody, responses: statusResponses } },
    "/contexts/credreg/v2": {
      get: {
        summary: "credreg's format 2 JSON-LD context (what https://w3id.org/credreg/v2 names), byte for byte the copy the package ships; cross-origin readable, cached a day",
        responses: { "200": { description: "The context", content: { "application/ld+json": { schema: { type: "object" } } } } },
      },
    },
    "/healthz": { get: { summary: "Liveness, chain reachability and indexer lag", responses: { "200": { description: "Healthy" }, "503": { description: "The chain cannot be reached" } } } },
    "/openapi.json": { get: { summary: "This document", responses: { "200": { description: "OpenAPI 3.1" } } } },
  },
  components: {
    securitySchemes: { apiKey: { type: "http", scheme: "bearer", description: "An API key from credreg apikey create, bound to this server's issuer" } },
    schemas: {
      Error: { type: "object", required: ["error"], properties: { error: { type: "object", required: ["code", "message", "details"], properties: { code: { type: "string" }, message: { type: "string" }, details: { type: "array" } } } } },
      Timeline: {
        type: "object",
        required: ["chainId", "registry", "indexedTo", "entries", "nextCursor"],
        properties: {
          chainId: { type: "string" },
          registry: { type: "string" },
          indexedTo: { type: "integer", description: "The latest block the audit index has read" },
          entries: { type: "array", items: { $ref: "#/components/schemas/AuditEntry" } },
          nextCursor: { type: ["string", "null"], description: "Pass as ?cursor= for the next page; null on the last page" },
        },
      },
      AuditEntry: {
        type: "object",
        description:
          "One event of the registry or of its IssuerKeyRegistry (format 2 signing keys), oldest first (docs/auditor.md). Addresses are lowercase. The CSV timeline has the columns time, blockNumber, transactionHash, logIndex, event, issuer, root, leafIndex, reason, reasonName, actor, sender, details, final (a key event's key and compromise time are in details).",
        required: ["time", "blockNumber", "transactionHash", "logIndex", "event", "issuer", "root", "leafIndex", "reason", "reasonName", "reasonDescription", "actor", "sender", "signingKey", "compromisedAt", "details", "final"],
        properties: {
          time: { ...utcTime, description: "The block's time, UTC to the second" },
          blockNumber: { type: "integer" },
          transactionHash: hex32,
          logIndex: { type: "integer" },
          event: { type: "string", enum: auditEvents, description: "The event's name; SigningKeyAdded, SigningKeyRetired and SigningKeyRevoked are the key registry's" },
          issuer: nullable({ type: "string" }, "The issuer the event is about (key events too); null for governance events"),
          root: nullable({ type: "string" }, "The batch's Merkle root, for batch and credential events"),
          leafIndex: nullable({ type: "integer" }, "The credential's leaf index, for CredentialRevoked, CredentialSuspended and CredentialReinstated"),
          reason: nullable({ type: "integer" }, "The reason code (docs/reason-codes.md), for events that carry one (SigningKeyRevoked too)"),
          reasonName: nullable({ type: "string" }, "The reason code's name, e.g. KeyCompromise"),
          reasonDescription: nullable({ type: "string" }, "The reason code's description"),
          actor: nullable({ type: "string" }, "Who made the change: the transaction's sender when it was sent straight to the emitting contract, else the account the event names"),
          sender: { type: "string", description: "The transaction's sender" },
          signingKey: nullable(hex32, "SigningKeyAdded, SigningKeyRetired, SigningKeyRevoked: the signing key as the key registry names it (bytes32); null for every other event"),
          compromisedAt: nullable(utcTime, "SigningKeyRevoked: from when the key's signatures are not trusted (UTC); null for every other event"),
          details: { type: "string", description: "The event's other arguments as name=value, space-separated (name, profileId, leafCount, role, key, compromisedAt as a UTC time, ...)" },
          final: { type: "boolean", description: "Whether the event's block is final (the configured confirmations deep); a non-final event is read again, and may change or go, on a later request" },
        },
      },
      Portfolio: {
        type: "object",
        description: "What a candidate's credentials prove (docs/api.md, Portfolios). Only valid credentials of the candidate count; credits count each achievement once, a qualification through its components (not its own credits).",
        required: ["format", "holder", "counts", "holders", "skills", "totalCredits", "highestEqfLevel", "achievements", "qualifications", "pathways", "credentials", "otherHolders", "invalid"],
        additionalProperties: false,
        properties: {
          format: { type: "string", enum: ["credreg-portfolio-v1"] },
          holder: {
            type: "object",
            required: ["name", "chosenBy", "emailChecked"],
            additionalProperties: false,
            properties: {
              name: nullable({ type: "string" }, "The candidate's name as the credentials write it; null when no valid credential names a holder"),
              chosenBy: { type: "string", enum: ["holder-name", "largest-group", "none"] },
              emailChecked: { type: "boolean", description: "Whether holderEmail was compared with each credential's hashed e-mail" },
            },
          },
          counts: {
            type: "object",
            required: ["total", "valid", "counted", "otherHolder", "invalid", "couldNotVerify"],
            additionalProperties: false,
            properties: { total: { type: "integer" }, valid: { type: "integer" }, counted: { type: "integer" }, otherHolder: { type: "integer" }, invalid: { type: "integer" }, couldNotVerify: { type: "integer" } },
          },
          holders: {
            type: "array",
            description: "The holders of the valid credentials (after the e-mail check), largest first",
            items: { type: "object", required: ["name", "credentials"], additionalProperties: false, properties: { name: { type: ["string", "null"] }, credentials: { type: "integer" } } },
          },
          skills: {
            type: "array",
            description: "Alignments other than the EQF level, once per targetUrl, in the order first met",
            items: {
              type: "object",
              required: ["targetUrl", "targetName", "targetFramework", "credentials"],
              additionalProperties: false,
              properties: { targetUrl: { type: "string" }, targetName: { type: "string" }, targetFramework: { type: ["string", "null"] }, credentials: { type: "array", items: { type: "string" }, description: "The ids of the credentials that state it" } },
            },
          },
          totalCredits: { type: "number", description: "ECTS credits over achievements: each achievement id once" },
          highestEqfLevel: { type: ["integer", "null"] },
          achievements: {
            type: "array",
            items: {
              type: "object",
              required: ["id", "name", "credits", "eqfLevel", "credentials", "inQualifications"],
              additionalProperties: false,
              properties: {
                id: { type: "string" },
                name: { type: "string" },
                credits: { type: ["number", "null"] },
                eqfLevel: { type: ["integer", "null"] },
                credentials: { type: "array", items: { type: "string" } },
                inQualifications: { type: "array", items: { type: "string" }, description: "The qualifications (credential ids) naming it as a component" },
              },
            },
          },
          qualifications: {
            type: "array",
            description: "Valid stacked credentials of the candidate",
            items: {
              type: "object",
              required: ["source", "credentialId", "achievement", "name", "credits", "eqfLevel", "issuer", "pathway", "components"],
              additionalProperties: false,
              properties: {
                source: { type: "string" },
                credentialId: { type: "string" },
                achievement: { type: "string" },
                name: { type: "string" },
                credits: { type: ["number", "null"] },
                eqfLevel: { type: ["integer", "null"] },
                issuer: { type: ["string", "null"] },
                pathway: { type: "string" },
                components: { type: "array", items: { type: "object", required: ["credentialId", "achievement", "name"], additionalProperties: false, properties: { credentialId: { type: "string" }, achievement: { type: "string" }, name: { type: "string" } } } },
              },
            },
          },
          pathways: {
            type: ["object", "null"],
            description: "Progress on each pathway given, by where the candidate stands; null when none was given",
            required: ["completed", "readyToStack", "nearlyCompleted", "notStarted"],
            additionalProperties: false,
            properties: {
              completed: { type: "array", items: { $ref: "#/components/schemas/PathwayProgress" }, description: "A valid stacked credential for it is in the portfolio" },
              readyToStack: { type: "array", items: { $ref: "#/components/schemas/PathwayProgress" }, description: "The rule holds, no stacked credential for it yet" },
              nearlyCompleted: { type: "array", items: { $ref: "#/components/schemas/PathwayProgress" }, description: "At least one component counts; the rule does not hold yet" },
              notStarted: { type: "array", items: { $ref: "#/components/schemas/PathwayProgress" } },
            },
          },
          credentials: {
            type: "array",
            description: "The credentials counted for the candidate",
            items: {
              type: "object",
              required: ["source", "credentialId", "achievement", "name", "issuer", "anchoredBy", "qualification"],
              additionalProperties: false,
              properties: { source: { type: "string" }, credentialId: { type: "string" }, achievement: { type: "string" }, name: { type: "string" }, issuer: { type: ["string", "null"] }, anchoredBy: { type: "string" }, qualification: { type: "boolean" } },
            },
          },
          otherHolders: {
            type: "array",
            items: {
              type: "object",
              required: ["source", "credentialId", "holder", "achievement", "step", "message"],
              additionalProperties: false,
              properties: { source: { type: "string" }, credentialId: { type: "string" }, holder: { type: ["string", "null"] }, achievement: { type: "string" }, step: { type: "string", enum: ["holder"] }, message: { type: "string" } },
            },
          },
          invalid: {
            type: "array",
            description: "Credentials not valid (status invalid) or not verified (status error), each with its first failing step and its message",
            items: {
              type: "object",
              required: ["source", "credentialId", "holder", "achievement", "status", "step", "message"],
              additionalProperties: false,
              properties: {
                source: { type: "string", description: "credentials[i]" },
                credentialId: { type: ["string", "null"] },
                holder: { type: ["string", "null"] },
                achievement: { type: ["string", "null"] },
                status: { type: "string", enum: ["invalid", "error"] },
                step: { type: ["string", "null"] },
                message: { type: "string" },
              },
            },
          },
        },
      },
      PathwayProgress: {
        type: "object",
        required: ["id", "name", "qualification", "required", "minCredits", "minEqfLevel", "credits", "held", "belowLevel", "missing", "shortfalls", "stackedAs"],
        additionalProperties: false,
        properties: {
          id: { type: "string" },
          name: { type: "string", description: "The qualification's name" },
          qualification: { type: "string", description: "The qualification's achievement id" },
          required: { type: "integer" },
          minCredits: { type: ["number", "null"] },
          minEqfLevel: { type: ["integer", "null"] },
          credits: { type: "number", description: "ECTS credits of the components that count" },
          held: { type: "array", items: { $ref: "#/components/schemas/HeldComponent" }, description: "Components held that count (each entry of the rule at most once)" },
          belowLevel: { type: "array", items: { $ref: "#/components/schemas/HeldComponent" }, description: "Components held below the rule's minimum EQF level" },
          missing: { type: "array", items: { type: "object", required: ["achievement", "issuer"], additionalProperties: false, properties: { achievement: { type: "string" }, issuer: { type: ["string", "null"] } } }, description: "The rule's entries nothing held counts for" },
          shortfalls: { type: "array", items: { type: "string" } },
          stackedAs: { type: ["string", "null"], description: "The candidate's stacked credential for it" },
        },
      },
      HeldComponent: {
        type: "object",
        required: ["achievement", "name", "credentialId", "issuer", "credits", "eqfLevel"],
        additionalProperties: false,
        properties: { achievement: { type: "string" }, name: { type: "string" }, credentialId: { type: "string" }, issuer: { type: "string", description: "The anchoring address" }, credits: { type: ["number", "null"] }, eqfLevel: { type: ["integer", "null"] } },
      },
      IssuedBatch: {
        type: "object",
        required: ["status", "root", "leafCount", "transactionHash", "blockNumber", "anchoredAt", "credentials"],
        properties: {
          status: { type: "string", enum: ["issued", "resumed", "already-issued"], description: "issued: 201; resumed (an interrupted run finished) and already-issued: 200" },
          root: hex32,
          leafCount: { type: "integer" },
          transactionHash: { type: ["string", "null"] },
          blockNumber: { type: ["integer", "null"] },
          anchoredAt: { type: ["string", "null"] },
          credentials: { type: "array", items: { type: "object" }, description: "The credentials, in the format formatVersion asked for (format 2: an Open Badges 3.0 AchievementCredential each)" },
        },
      },
      StatusChange: {
        type: "object",
        required: ["action", "reason", "transactions", "alreadyDone", "statusLists"],
        properties: {
          action: { type: "string", enum: ["revoke", "suspend", "reinstate"] },
          reason: { type: "integer", description: "The reason code" },
          transactions: {
            type: "array",
            description: "One per chunk of at most 500 indices sent",
            items: {
              type: "object",
              required: ["root", "indices", "hash", "blockNumber", "gasUsed"],
              properties: { root: hex32, indices: { type: "array", items: { type: "integer" } }, hash: hex32, blockNumber: { type: "integer" }, gasUsed: { type: "string", description: "A decimal integer" } },
            },
          },
          alreadyDone: {
            type: "array",
            description: "Credentials asked for that were already in the wanted state (an earlier, interrupted request changed them): not sent again",
            items: { type: "object", required: ["root", "indices"], properties: { root: hex32, indices: { type: "array", items: { type: "integer" } } } },
          },
          statusLists: {
            type: "array",
            description:
              "The status list credentials rewritten from the chain after the change and written to the server's status directory: one for a format 2 batch, none (empty) for a format 1 batch. Revocations only: suspension is not in a status list",
            items: {
              type: "object",
              required: ["root", "url", "revoked", "block"],
              properties: {
                root: hex32,
                url: { type: "string", description: "Where the list is published (the credentials' statusListCredential); its last segment is its file name" },
                revoked: { type: "integer", description: "How many of the batch's credentials it lists as revoked" },
                block: { type: "integer", description: "The block whose state it shows" },
              },
            },
          },
        },
      },
    },
  },
} as const;
