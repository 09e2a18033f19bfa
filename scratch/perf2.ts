import { buildUnsignedCredential } from "../src/credential/buildUnsignedCredential.ts";
import { recipientInputSchema } from "../src/credential/issuanceInputSchema.ts";
import { canonicalJson } from "../src/credential/canonicalJson.ts";
import { keccak256 } from "../src/crypto/keccak256.ts";
import { sampleTemplate, sampleRecipients } from "../test/helpers/sampleCredentials.ts";
const N = 100000;
const tpl = sampleTemplate();
let tb = 0, tv = 0, tc = 0, th = 0;
for (let i = 0; i < N; i++) {
  const r = { ...sampleRecipients[i % 6]!, name: `Person ${i}` };
  let t = performance.now();
  recipientInputSchema.safeParse(r);
  tv += performance.now() - t; t = performance.now();
  const c = buildUnsignedCredential(tpl, r, i);
  tb += performance.now() - t; t = performance.now();
  const s = canonicalJson(c);
  tc += performance.now() - t; t = performance.now();
  keccak256(Buffer.from(s, "utf8"));
  th += performance.now() - t;
}
console.log(`µs per credential: validate ${(tv*1000/N).toFixed(1)} build ${(tb*1000/N).toFixed(1)} canon ${(tc*1000/N).toFixed(1)} hash ${(th*1000/N).toFixed(1)}`);
