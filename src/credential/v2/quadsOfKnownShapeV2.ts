import type { BlankNode, Literal, NamedNode, Quad } from "rdf-canonize";
import { type KindV2, type MemberRule, RDF_FIRST, RDF_NIL, RDF_REST, RDF_TYPE, knownShapesV2 } from "./knownShapesV2.ts";

/**
 * An absolute IRI that JSON-LD expansion leaves exactly as written, in every place of a v2 document: a scheme that is
 * no prefix of the packaged contexts (`http://` and `https://` are never expanded; `urn:`, `did:` and `data:` are
 * not prefixes there, which `knownShapesAgreeWithJsonLdV2` checks), then printable ASCII without the characters N-Quads
 * cannot carry in an IRI. Anything else (a relative or compact IRI, a blank node id, a space) is left to `jsonld`.
 */
const NEUTRAL_IRI = /^(?:https?:\/\/|urn:|did:|data:)[!#-;=?-[\]_a-z~]+$/;

/** Thrown inside the walk when the document leaves the known shapes: the caller gets `undefined`. */
class UnknownShape extends Error {}

const DEFAULT_GRAPH = { termType: "DefaultGraph", value: "" } as const;

/**
 * The RDF dataset (the quads `jsonld.toRDF` gives, up to blank node labels and order) of a document of one of the
 * shapes in {@link knownShapesV2}: a v2 credential without `proof`, or the proof options of its signature. Returns
 * `undefined` for anything else, however small the difference (an unknown member, another `type`, a `null`, a
 * number where a string is expected, an IRI that expansion might change, a node id used twice): the caller then
 * takes the generic path. The canonical form (RDFC-1.0) of the result equals that of `jsonld.toRDF` in safe mode.
 */
export function quadsOfKnownShapeV2(document: unknown): Quad[] | undefined {
  if (!isPlainObject(document) || !sameJson(document["@context"], knownShapesV2.context)) return undefined;
  const root = knownShapesV2.roots.find((kind) => sameJson(document.type, knownShapesV2.kinds[kind].type));
  if (root === undefined) return undefined;
  const quads: Quad[] = [];
  const seen = new Set<string>();
  const nodeIds = new Set<string>();
  let blankNodes = 0;
  const blank = (): BlankNode => ({ termType: "BlankNode", value: `b${blankNodes++}` });
  const add = (subject: NamedNode | BlankNode, predicate: string, object: NamedNode | BlankNode | Literal) => {
    // A dataset is a set: jsonld drops a repeated value (the same learning outcome twice) and so does this.
    const key = `${subject.termType} ${subject.value}\n${predicate}\n${object.termType} ${object.value}\n${object.termType === "Literal" ? object.datatype.value : ""}`;
    if (seen.has(key)) return;
    seen.add(key);
    quads.push({ subject, predicate: { termType: "NamedNode", value: predicate }, object, graph: DEFAULT_GRAPH });
  };

  const walk = (value: unknown, kind: KindV2, isRoot: boolean): NamedNode | BlankNode => {
    if (!isPlainObject(value)) throw new UnknownShape();
    const shape = knownShapesV2.kinds[kind];
    for (const key of Object.keys(value)) {
      if (key === "type" || (key === "@context" && isRoot)) continue;
      if (key === "id" && shape.id) continue;
      if (!Object.hasOwn(shape.members, key)) throw new UnknownShape();
    }
    if (shape.type === undefined ? Object.hasOwn(value, "type") : !sameJson(value.type, shape.type)) throw new UnknownShape();
    let subject: NamedNode | BlankNode;
    if (Object.hasOwn(value, "id")) {
      const id = value.id;
      if (typeof id !== "string" || !NEUTRAL_IRI.test(id) || nodeIds.has(id)) throw new UnknownShape();
      nodeIds.add(id);
      subject = { termType: "NamedNode", value: id };
    } else {
      subject = blank();
    }
    for (const iri of shape.typeIris) add(subject, RDF_TYPE, { termType: "NamedNode", value: iri });
    for (const [key, rule] of Object.entries(shape.members)) {
      if (Object.hasOwn(value, key)) member(subject, rule, value[key]);
    }
    return subject;
  };

  const member = (subject: NamedNode | BlankNode, rule: MemberRule, value: unknown): void => {
    if ("literal" in rule) {
      add(subject, rule.predicate, literal(rule.literal, rule.datatype, value));
    } else if ("reference" in rule) {
      if (typeof value !== "string" || !NEUTRAL_IRI.test(value)) throw new UnknownShape();
      add(subject, rule.predicate, { termType: "NamedNode", value });
    } else if ("vocabulary" in rule) {
      if (typeof value !== "string" || !Object.hasOwn(rule.vocabulary, value)) throw new UnknownShape();
      add(subject, rule.predicate, { termType: "NamedNode", value: rule.vocabulary[value]! });
    } else if ("strings" in rule) {
      if (!Array.isArray(value)) throw new UnknownShape();
      const items = value.map((item) => literal("string", rule.datatype, item));
      if (rule.strings === "set") {
        for (const item of items) add(subject, rule.predicate, item);
      } else {
        // An RDF list, as jsonld writes a `@list`: a chain of blank nodes (rdf:nil when empty).
        let cell: NamedNode | BlankNode = items.length === 0 ? { termType: "NamedNode", value: RDF_NIL } : blank();
        add(subject, rule.predicate, cell);
        items.forEach((item, index) => {
          const next: NamedNode | BlankNode = index === items.length - 1 ? { termType: "NamedNode", value: RDF_NIL } : blank();
          add(cell, RDF_FIRST, item);
          add(cell, RDF_REST, next);
          cell = next;
        });
      }
    } else if (rule.many) {
      if (!Array.isArray(value)) throw new UnknownShape();
      for (const item of value) add(subject, rule.predicate, walk(item, rule.node, false));
    } else {
      add(subject, rule.predicate, walk(value, rule.node, false));
    }
  };

  try {
    walk(document, root, true);
  } catch (error) {
    if (error instanceof UnknownShape) return undefined;
    throw error;
  }
  return quads;
}

/** A JSON value as the literal jsonld makes of it under a term with this datatype (`@type` coercion). */
function literal(kind: "string" | "boolean" | "number", datatype: string, value: unknown): Literal {
  if (typeof value !== kind) throw new UnknownShape();
  let lexical: string;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new UnknownShape();
    // jsonld's rule (toRdf.js): a "double" (written with a '.', or at least 1e21) in canonical xsd:double form,
    // any other number with toFixed(0); the term's datatype (xsd:float here) is kept either way.
    const isDouble = String(value).includes(".") || Math.abs(value) >= 1e21;
    lexical = isDouble ? value.toExponential(15).replace(/(\d)0*e\+?/, "$1E") : value.toFixed(0);
  } else {
    lexical = String(value);
  }
  return { termType: "Literal", value: lexical, datatype: { termType: "NamedNode", value: datatype } };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/** Whether `value` is `expected` (a string, or an array of strings in the same order). */
function sameJson(value: unknown, expected: string | readonly string[] | undefined): boolean {
  if (typeof expected === "string" || expected === undefined) return value === expected;
  return Array.isArray(value) && value.length === expected.length && expected.every((item, index) => value[index] === item);
}
