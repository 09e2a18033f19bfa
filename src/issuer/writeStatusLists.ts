import { mkdir } from "node:fs/promises";
import path from "node:path";
import { readBatchRecord, readStatusWords } from "../chain/registryReads.ts";
import { type SigningKeySource, signingKeyOf } from "../config/loadSigningKey.ts";
import { buildStatusListCredentialV2 } from "../credential/v2/buildStatusListCredentialV2.ts";
import { nameBasedUuid } from "../credential/v2/buildUnsignedCredentialV2.ts";
import { InvalidInputError } from "../errors/issuerErrors.ts";
import { writeFileAtomically } from "../fs/writeAtomically.ts";
import type { IssuerStore } from "../store/IssuerStore.ts";
import type { ChainContext } from "../chain/openChain.ts";
import { isTemplateV2 } from "./storedTemplateV2.ts";

/** One status list credential written: its batch, the URL it is published at, its file, and what it says. */
export type WrittenStatusList = {
  readonly root: string;
  readonly url: string;
  readonly file: string;
  /** How many of the batch's credentials it lists as revoked. */
  readonly revoked: number;
  /** The block whose state it shows. */
  readonly block: number;
};

/** Where status lists go unless configured (CREDREG_STATUS_DIR): `status/` in the store's folder. */
export function defaultStatusDir(storeFile: string): string {
  return path.join(path.dirname(path.resolve(storeFile)), "status");
}

/** Words of 256 status bits read at once (one `eth_call` each). */
const WORD_READS_AT_ONCE = 16;

/** The status list file's name: the last path segment of its URL (what a static web server maps the URL to). */
export function statusListFileName(url: string): string {
  const name = new URL(url).pathname.split("/").at(-1) ?? "";
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) throw new InvalidInputError(`The status list URL ${url} does not end in a file name.`, ["Status list URLs are <status base URL>/<batch uuid>; issue with an https --status-base-url."]);
  return name;
}

/** The indices of a batch revoked on chain at `block`: all of them when the whole batch is revoked. */
async function revokedIndices(chain: ChainContext, issuer: string, root: string, leafCount: number, block: number): Promise<number[] | undefined> {
  const record = await readBatchRecord(chain.provider, chain.registryAddress, issuer, root, block);
  if (record.anchoredAt === 0) return undefined;
  if (record.revokedAt !== 0) return Array.from({ length: leafCount }, (_, index) => index);
  const words = Math.ceil(leafCount / 256);
  const revoked: number[] = [];
  for (let first = 0; first < words; first += WORD_READS_AT_ONCE) {
    const read = await Promise.all(
      Array.from({ length: Math.min(WORD_READS_AT_ONCE, words - first) }, (_, offset) => readStatusWords(chain.provider, chain.registryAddress, issuer, root, first + offset, block)),
    );
    read.forEach(({ revoked: bits }, offset) => {
      for (let bit = 0; bits >> BigInt(bit) !== 0n; bit += 1) {
        if ((bits >> BigInt(bit)) & 1n) revoked.push((first + offset) * 256 + bit);
      }
    });
  }
  return revoked.filter((index) => index < leafCount);
}

/**
 * Writes the status list credential of each format 2 batch of `issuer` in the store (or of the batches `roots`
 * names) to `statusDir`, one file per batch named as its URL's last segment, for the issuer to publish at its
 * status base URL (or for `credreg serve` to serve). Each is the chain's revocation bits of the batch at the latest
 * block, signed by the batch's own signing key (a wallet requires the list's issuer to be the credential's), with
 * the block's time as its proof's `created`: the same block gives the same bytes. Suspension is not in the list
 * (one `BitstringStatusListEntry` per credential, of purpose `revocation`); verifiers that read the chain see it.
 * Batches not yet anchored on this chain are left out. Each file is written atomically and made durable.
 */
export async function writeStatusLists(
  chain: ChainContext,
  store: IssuerStore,
  issuer: string,
  source: SigningKeySource,
  statusDir: string,
  roots?: readonly string[],
): Promise<WrittenStatusList[]> {
  const wanted = roots === undefined ? undefined : new Set(roots.map((root) => root.toLowerCase()));
  const batches = store
    .listBatches(chain.chainId.toString(), chain.registryAddress, issuer)
    .filter((batch) => isTemplateV2(batch.template) && batch.blockNumber !== null && (wanted === undefined || wanted.has(batch.root.toLowerCase())));
  if (batches.length === 0) return [];
  const block = await chain.provider.getBlock("latest");
  if (block === null) throw new Error("The node returned no latest block.");
  await mkdir(statusDir, { recursive: true });
  const written: WrittenStatusList[] = [];
  for (const batch of batches) {
    if (!isTemplateV2(batch.template)) continue;
    const revoked = await revokedIndices(chain, issuer, batch.root, batch.leafCount, block.number);
    if (revoked === undefined) continue;
    const url = batch.template.template.statusListCredential;
    const key = await signingKeyOf(source, batch.template.keyGeneration);
    if (key.controller !== batch.template.keyDid) {
      throw new InvalidInputError(`Batch ${batch.root} was signed with ${batch.template.keyDid}, not with the configured signing key ${key.controller}; its status list must be signed by the same key.`, [
        "Set CREDREG_SIGNING_KEY (or the issuer key it is derived from) to the key the batch was issued with.",
      ]);
    }
    const list = await buildStatusListCredentialV2({
      url,
      leafCount: batch.leafCount,
      revoked,
      key,
      proofId: `urn:uuid:${nameBasedUuid("credreg status list", `${url} ${block.number}`)}`,
      created: new Date(block.timestamp * 1000),
    });
    const file = path.join(statusDir, statusListFileName(url));
    await writeFileAtomically(file, `${JSON.stringify(list, null, 2)}\n`);
    written.push({ root: batch.root, url, file, revoked: revoked.length, block: block.number });
  }
  return written;
}
