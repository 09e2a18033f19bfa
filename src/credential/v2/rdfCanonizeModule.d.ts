// Types of rdf-canonize (the RDFC-1.0 implementation that jsonld and the eddsa-rdfc-2022 cryptosuite use; it ships
// none): only what credreg calls.

declare module "rdf-canonize" {
  export type NamedNode = { readonly termType: "NamedNode"; readonly value: string };
  /** A blank node; `value` is its label without `_:`. */
  export type BlankNode = { readonly termType: "BlankNode"; readonly value: string };
  export type Literal = { readonly termType: "Literal"; readonly value: string; readonly datatype: NamedNode; readonly language?: string };
  export type DefaultGraph = { readonly termType: "DefaultGraph"; readonly value: "" };
  /** One quad of an RDF dataset, as `jsonld.toRDF` returns them and `canonize` takes them. */
  export type Quad = {
    readonly subject: NamedNode | BlankNode;
    readonly predicate: NamedNode;
    readonly object: NamedNode | BlankNode | Literal;
    readonly graph: DefaultGraph;
  };
  /** The canonical N-Quads (RDFC-1.0) of a dataset. */
  export function canonize(dataset: readonly Quad[], options: { algorithm: "RDFC-1.0"; format?: "application/n-quads" }): Promise<string>;
}
