import { type KindV2, knownShapesV2 } from "./knownShapesV2.ts";

/** What differs between probes: IRI schemes, number forms, booleans, list and set contents, awkward text. */
const VARIANTS = [
  { iri: "https://probe.example/", number: 5, boolean: true, list: ["A", "B", "A"], text: "" },
  { iri: "http://probe.example/", number: 2.5, boolean: false, list: [], text: ' "quoted" \\ back\\slash' },
  { iri: "urn:probe:", number: 0, boolean: true, list: ["only"], text: " line\nbreak\ttab\r" },
  { iri: "did:probe:", number: 1e21, boolean: false, list: ["Zoë", "中村"], text: " Zoë Ångström-Nakamura 中村 😀" },
  { iri: "data:probe,", number: 1234.5678, boolean: true, list: ["x", "x"], text: "   " },
] as const;

/**
 * Documents of every root kind of {@link knownShapesV2} with every member of every kind present (arrays of nodes
 * with two entries), built from the table itself so that each rule is exercised: one probe per variant, so that
 * every IRI scheme the fast path accepts is tried in every IRI position. `knownShapesAgreeWithJsonLdV2` compares
 * their canonical forms through the table and through `jsonld`.
 */
export function knownShapeProbesV2(): Record<string, unknown>[] {
  return VARIANTS.flatMap((variant) => {
    let counter = 0;
    const next = () => counter++;
    const build = (kind: KindV2, withId: boolean): Record<string, unknown> => {
      const shape = knownShapesV2.kinds[kind];
      const node: Record<string, unknown> = {};
      if (shape.id && withId) node.id = `${variant.iri}node-${next()}`;
      if (shape.type !== undefined) node.type = structuredClone(shape.type);
      for (const [key, rule] of Object.entries(shape.members)) {
        if ("literal" in rule) {
          node[key] = rule.literal === "number" ? variant.number : rule.literal === "boolean" ? variant.boolean : `${key} ${next()}${variant.text}`;
        } else if ("reference" in rule) {
          node[key] = `${variant.iri}reference-${next()}`;
        } else if ("vocabulary" in rule) {
          node[key] = Object.keys(rule.vocabulary)[next() % Object.keys(rule.vocabulary).length];
        } else if ("strings" in rule) {
          node[key] = [...variant.list];
        } else {
          // Two entries: with an id (when the kind has one) and without (a blank node).
          node[key] = rule.many ? [build(rule.node, true), build(rule.node, false)] : build(rule.node, true);
        }
      }
      return node;
    };
    return knownShapesV2.roots.map((root) => ({ "@context": [...knownShapesV2.context], ...build(root, true) }));
  });
}
