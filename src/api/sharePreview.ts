import { createHash } from "node:crypto";
import type { ApiContext } from "./apiContext.ts";
import { type DisplayFacts, displayFactsOf } from "../web/displayFactsOf.ts";
import { decodeSharePayload, SharePayloadError } from "../web/sharePayload.ts";
import type { VerificationResult } from "../verifier/verificationTypes.ts";
import { verifyCredentials } from "../verifier/verifyCredentials.ts";

/** What the server found of a public share link's credential: verified here, against the registry it serves. */
export type SharePreview =
  | { readonly kind: "credential"; readonly text: string; readonly verification: VerificationResult; readonly facts: DisplayFacts | undefined }
  | { readonly kind: "bad-link"; readonly message: string };

/** How long a preview is kept (a link is fetched as a page, then its image, by the same crawler). */
const PREVIEW_TTL_MS = 60_000;
const MAX_PREVIEWS = 256;

/**
 * Previews of public share links (`/c/<payload>`): the payload decoded and its credential verified server-side with
 * the service's own trusted registry (nothing in the link chooses what to trust). Kept for a minute, at most 256.
 */
export function sharePreviews(context: ApiContext): (payload: string) => Promise<SharePreview> {
  const kept = new Map<string, { at: number; preview: Promise<SharePreview> }>();

  async function compute(payload: string): Promise<SharePreview> {
    let text: string;
    try {
      text = await decodeSharePayload(payload);
    } catch (error) {
      if (error instanceof SharePayloadError) return { kind: "bad-link", message: error.message };
      throw error;
    }
    const { chain } = context;
    const [verification] = await verifyCredentials([text], { provider: chain.provider, trustedRegistries: [chain.registryAddress], confirmations: context.confirmations });
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { kind: "credential", text, verification: verification!, facts: displayFactsOf(parsed, verification!) };
  }

  return (payload) => {
    const now = Date.now();
    for (const [key, entry] of kept) if (now - entry.at > PREVIEW_TTL_MS) kept.delete(key);
    const key = createHash("sha256").update(payload).digest("hex");
    const found = kept.get(key);
    if (found !== undefined) return found.preview;
    const preview = compute(payload);
    // An answer that could not be had (the chain down) is not kept: the next request asks again.
    preview.then((value) => value.kind === "credential" && value.verification.status === "error" && kept.delete(key), () => kept.delete(key));
    if (kept.size >= MAX_PREVIEWS) kept.delete(kept.keys().next().value!);
    kept.set(key, { at: now, preview });
    return preview;
  };
}
