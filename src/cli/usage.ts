/** What `credreg`, `credreg --help` and `credreg help` print: the commands, their options and the exit codes. */
export const USAGE = `credreg <command> [options]

Governance
  deploy [--admin <address>] [--admin-delay <seconds>] [--accreditor <address,...>]
  accredit <address> --name <name> --profile-id <url-or-did>
  deactivate <address> --reason <code|name>
Issuing
  issue --input <recipients.csv|.json> --achievement <achievement.json> --out <dir>
        [--skip-invalid] [--dry-run] [--format files|ndjson|both] [--valid-from <date-time>] [--valid-until <date-time>] [--new-batch]
        [--format-version 2|1] [--status-base-url <https URL>] [--badge-image <badge.png|.svg>]
        (2, the default: signed Open Badges 3.0, each also baked into its badge image; see docs/credential-format-v2.md)
  stack --pathway <pathway.json> --out <dir> (--holder-name <name> | --holder-email <email>) --components <credential file>...
  stack --pathway <pathway.json> --out <dir> --input <holders.csv>   (columns name, email, components: files separated by ;)
        verifies each component (valid now, issued to that holder, the pathway's rule met), then issues the stacked
        credential (format 2) for the qualification; see docs/stacking.md
  revoke|suspend|reinstate <credential.json ...> --reason <code|name>
  revoke|suspend|reinstate --batch <root> --index <i,j,k> --reason <code|name>
  revoke-batch <root> --reason <code|name>
  status-lists [--status-dir <dir>]      rewrite the format 2 status list credentials from the chain (revoke, suspend,
                                         reinstate, revoke-batch and issue write them too; default dir: status/ beside the store)
    (an accreditor acting for a deactivated issuer adds --for <issuer address>)
  batches [--issuer <address>]
  batch <root> [--issuer <address>]
Signing keys (format 2: the issuer's Ed25519 keys bound in the registry's key registry)
  key list                              the key generations and their records: bound, retired, revoked, when
  key retire [--generation <n>] [--force]
                                        retire the key in use (or generation n): the next issue binds the next generation
  key revoke --compromised-since <date-time> [--reason <code|name>] [--generation <n>]
                                        revoke a key as compromised since then (default reason KeyCompromise); an
                                        accreditor names another issuer's key with --key <did:key> (retire takes it too)
Auditing (no key needed; history from chain events, indexed in the store)
  audit issuer <address> | batch <issuer> <root> | credential <file> | credential <issuer> <root> <index> | registry
        [--from <date|block>] [--to <date|block>] [--at <date|block>] [--format table|json|csv] [--reindex]
  audit report [<issuer>]                 consistency report of an issuer or of the whole registry
Serving (no key needed for the public API)
  serve [--host 127.0.0.1] [--port 8080] [--out <dir>] [--trust-proxy <hops|addresses>]  HTTP API (issuer routes too when an issuer key is configured)
  apikey create [--label <text>] | apikey revoke <prefix>   API keys for the issuer routes (hashes kept in the store)
Verifying (no key needed)
  verify <file|dir|->... --registry <address,...> [--at <date-time|block>] [--recipient <email>] [--trusted-issuers <a,b>] [--threads <n>] [--verbose]
        trusts only what you give it: --registry / CREDREG_TRUSTED_REGISTRIES, or your trust file
        (~/.config/credreg/trust.json); never the credential's folder (no ./credreg.config.json, no ./deployments)
  verify --portfolio <file|dir|->... [--holder-name <name>] [--holder-email <email>] [--pathways <dir|file>] [--at <date-time|block>] [--trusted-issuers <a,b>] [--threads <n>]
        a candidate's credentials verified in bulk, then summarised: skills, credits, EQF level, qualifications,
        pathways; other holders' and invalid credentials listed apart (docs/verifier.md, Portfolios)

Options for every command
  --rpc-url <url>        JSON-RPC endpoint (CREDREG_RPC_URL; default http://127.0.0.1:8545)
  --registry <address>   registry (CREDREG_REGISTRY; default: deployments/<chainId>.json)
  --confirmations <n>    confirmations to wait for (CREDREG_CONFIRMATIONS; default 1)
  --keystore <file>      encrypted JSON keystore (CREDREG_KEYSTORE; password: CREDREG_KEYSTORE_PASSWORD or a prompt)
  --store <file>         the issuer's SQLite store (CREDREG_STORE; default .credreg/issuer.sqlite)
  --config <file>        config file (CREDREG_CONFIG; default ./credreg.config.json)
  --chain-id <id>        refuse an RPC serving another chain (CREDREG_CHAIN_ID)
  --json                 print one JSON document on stdout
The signer's key comes from CREDREG_PRIVATE_KEY or the keystore, never from an argument. Format 2's Ed25519 signing key
comes from CREDREG_SIGNING_KEY (hex seed), else it is derived from the signer's key; it is bound on chain on first use.
Exit codes: 0 success, 1 rejected input, 2 chain, RPC or infrastructure failure.
verify: 0 all valid, 1 any invalid, 2 could not verify (verify --portfolio: 0 once the portfolio is made).
Reference: docs/cli.md`;
