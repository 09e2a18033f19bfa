import { z } from "zod";
import { checksumAddress } from "../crypto/checksumAddress.ts";

// The value types every credential format is made of (v1: credentialSchema.ts; v2: v2/credentialSchemaV2.ts).
// No transforms anywhere: validation never changes a value, because the hash covers the document exactly as given.
export const text = (max: number) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .refine((value) => value.trim().length > 0, "must not be blank");
/** An absolute URI of any scheme (URL, URN, DID). */
export const uri = z.string().regex(/^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$/, "must be an absolute URI (https://..., urn:..., did:...)");
/** What an issuer id may be: an https/http URL or a DID. */
export const issuerId = z
  .string()
  .regex(/^(https?:\/\/\S+|did:[a-z0-9]+:\S+)$/, "must be an http(s) URL or a DID (the profile id accredited on chain)");
/** An XML Schema dateTimeStamp, as VC 2.0 requires: a date and time with a time zone. */
export const dateTime = z.iso.datetime({ offset: true, message: "must be a date-time with a time zone, e.g. 2026-06-30T00:00:00Z" });
// `abort`: a value that is not an address at all is not also checksummed (the checksum needs an address).
export const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, { message: "must be a 0x-prefixed 20-byte address", abort: true });
/** Hex as the issuer writes it in a proof: lower case (one spelling per value; the proof is not hashed). */
export const proofBytes32 = z.string().regex(/^0x[0-9a-f]{64}$/, "must be a 0x-prefixed 32-byte hex string in lower case");
/** An address as the issuer writes it in a proof: EIP-55 mixed-case checksum (one spelling per value). */
export const checksummed = address.refine((value) => checksumAddress(value) === value, "must be the EIP-55 checksummed address");
export const typeList = (required: string) =>
  z.array(z.string()).refine((types) => types.includes(required), `must include "${required}"`);
/** A credential or proof id: `urn:uuid:` and a lower-case UUID. */
export const uuidUrn = z.string().regex(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, "must be urn:uuid:<lower-case UUID>");
/** A BCP 47 language tag. */
export const languageTag = z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, "must be a BCP 47 language tag");
