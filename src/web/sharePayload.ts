/**
 * The path segment of a public share link (`/c/<payload>`): the credential file's exact UTF-8 text, raw-deflated
 * (RFC 1951) and base64url-encoded without padding. The same code runs in the browser (which makes the link) and in
 * the server (which previews it): both have CompressionStream.
 */

/** The longest payload a link may carry: URLs this long pass browsers and the server (its header limit is raised to fit). */
export const MAX_SHARE_PAYLOAD_LENGTH = 48_000;
/** The most text a payload may inflate to (a credential with the largest badge image an issuer may embed fits). */
export const MAX_SHARE_TEXT_BYTES = 512 * 1024;
const PAYLOAD = /^[A-Za-z0-9_-]+$/;

/** Why a share link's payload cannot be read (its message says what is wrong with the link). */
export class SharePayloadError extends Error {
  override name = "SharePayloadError";
}

async function collect(stream: ReadableStream<Uint8Array>, most: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.length;
    if (length > most) {
      await reader.cancel();
      throw new SharePayloadError(`The link's credential inflates past ${most} bytes.`);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}

const toBase64Url = (bytes: Uint8Array) => {
  let binary = "";
  for (let start = 0; start < bytes.length; start += 0x8000) binary += String.fromCharCode(...bytes.subarray(start, start + 0x8000));
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
};

/** The payload of `text`; `undefined` when the link would be longer than {@link MAX_SHARE_PAYLOAD_LENGTH}. */
export async function encodeSharePayload(text: string): Promise<string | undefined> {
  const compressed = await collect(new Blob([new TextEncoder().encode(text)]).stream().pipeThrough(new CompressionStream("deflate-raw")), Number.POSITIVE_INFINITY);
  const payload = toBase64Url(compressed);
  return payload.length > MAX_SHARE_PAYLOAD_LENGTH ? undefined : payload;
}

/** The credential text a payload carries; throws {@link SharePayloadError} saying what is wrong with it. */
export async function decodeSharePayload(payload: string): Promise<string> {
  if (payload.length > MAX_SHARE_PAYLOAD_LENGTH) throw new SharePayloadError(`The link's credential is ${payload.length} characters long; a share link carries at most ${MAX_SHARE_PAYLOAD_LENGTH}.`);
  if (!PAYLOAD.test(payload)) throw new SharePayloadError("The link's credential is not base64url text (A–Z, a–z, 0–9, - and _).");
  let compressed: Uint8Array<ArrayBuffer>;
  try {
    compressed = Uint8Array.from(atob(payload.replaceAll("-", "+").replaceAll("_", "/")), (char) => char.charCodeAt(0));
  } catch {
    throw new SharePayloadError("The link's credential is not base64url text: its length is impossible (a character is missing or extra).");
  }
  let bytes: Uint8Array;
  try {
    bytes = await collect(new Blob([compressed]).stream().pipeThrough(new DecompressionStream("deflate-raw")), MAX_SHARE_TEXT_BYTES);
  } catch (error) {
    if (error instanceof SharePayloadError) throw error;
    throw new SharePayloadError("The link's credential does not inflate: the link is cut short or altered.");
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new SharePayloadError("The link's credential is not UTF-8 text.");
  }
}
