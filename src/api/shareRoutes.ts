import { Router } from "express";
import type { ApiContext } from "./apiContext.ts";
import { ApiError } from "./ApiError.ts";
import { renderBadgePng } from "./renderBadgePng.ts";
import { type SharePreview, sharePreviews } from "./sharePreview.ts";
import { type PagePreview, verifyPageHtml } from "../web/pages.ts";

/** The link preview's text: the server's own verdict on the link's credential, never what the file claims alone. */
function previewOf(preview: SharePreview, pageUrl: string): PagePreview {
  if (preview.kind === "bad-link") return { title: "Not a credential link", description: `This link does not carry a credential: ${preview.message}`, url: pageUrl };
  const { verification, facts } = preview;
  const achievement = facts?.achievement ?? "A micro-credential";
  if (verification.status === "valid" && facts !== undefined) {
    const details = [facts.credits === undefined ? undefined : `${facts.credits} ECTS`, facts.eqfLevel === undefined ? undefined : `EQF level ${facts.eqfLevel}`].filter((part) => part !== undefined);
    return {
      title: `${achievement}${facts.holder === undefined ? "" : `, earned by ${facts.holder}`}`,
      description: `VALID: issued by ${facts.issuer}${facts.validFrom === undefined ? "" : ` on ${facts.validFrom.slice(0, 10)}`}${details.length === 0 ? "" : ` (${details.join(", ")})`}; verified against its blockchain registry.`,
      url: pageUrl,
      image: facts.image === undefined ? undefined : { url: `${pageUrl}/badge.png`, alt: facts.image.caption ?? `Badge of ${achievement}` },
    };
  }
  if (verification.status === "error") return { title: `${achievement}: could not be verified now`, description: "The blockchain could not be read to verify this credential. Open the link to try again.", url: pageUrl };
  const failed = verification.steps.find((step) => step.status === "failed");
  return { title: `NOT VALID: ${achievement}`, description: `This credential did not verify${failed === undefined ? "" : ` (${failed.name}: ${failed.message})`}.`, url: pageUrl };
}

/**
 * Public share links: `GET /c/<payload>` is the verify page with the link's credential (the browser verifies it
 * again itself), plus Open Graph and Twitter card meta from the server's own verification, so a pasted link previews
 * the badge; `GET /c/<payload>/badge.png` is the badge as PNG, for a credential that verified valid only (anything
 * else is a 404: the server never lends its origin to an image nobody accredited vouched for).
 */
export function shareRoutes(context: ApiContext, pageConfig: { rpcUrl: string; registry: string }): Router {
  const router = Router();
  const previews = sharePreviews(context);
  const pageUrlOf = (protocol: string, host: string | undefined, payload: string) => `${protocol}://${host ?? "localhost"}/c/${payload}`;

  router.get("/c/:payload", async (request, response) => {
    const payload = request.params.payload;
    const preview = await previews(payload);
    const status = preview.kind === "bad-link" ? 400 : 200;
    response.status(status).type("html").setHeader("Cache-Control", "no-store").send(verifyPageHtml(pageConfig, previewOf(preview, pageUrlOf(request.protocol, request.get("host"), payload))));
  });

  router.get("/c/:payload/badge.png", async (request, response) => {
    const preview = await previews(request.params.payload);
    if (preview.kind !== "credential" || preview.verification.status !== "valid" || preview.facts?.image === undefined) {
      throw new ApiError(404, "BadgeNotFound", "No badge here: the link's credential is not a valid credential of this registry with a badge image.", ["Open the link without /badge.png to see why."]);
    }
    let png: Uint8Array;
    try {
      png = await renderBadgePng(preview.facts.image);
    } catch (error) {
      throw new ApiError(404, "BadgeNotFound", `No badge here: the credential's badge image cannot be shown (${(error as Error).message}).`);
    }
    response.type("png").setHeader("Cache-Control", "public, max-age=300").send(Buffer.from(png));
  });
  return router;
}
