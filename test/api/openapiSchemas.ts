import { Ajv2020 } from "ajv/dist/2020.js";
import { expect } from "vitest";
import { openapiDocument } from "../../src/api/openapiDocument.ts";

// The schemas of /openapi.json (OpenAPI 3.1: JSON Schema 2020-12), compiled once, for checking real responses.
const ajv = new Ajv2020({ allErrors: true, strict: false });
ajv.addSchema({ $id: "openapi", components: JSON.parse(JSON.stringify(openapiDocument.components)) as object });

type SchemaName = keyof typeof openapiDocument.components.schemas;

/** Asserts that `value` matches the document's schema `name`, listing every mismatch when it does not. */
export function expectMatchesSchema(name: SchemaName, value: unknown): void {
  const validate = ajv.getSchema(`openapi#/components/schemas/${name}`)!;
  const valid = validate(value);
  expect(valid ? [] : validate.errors!.map((error) => `${error.instancePath} ${error.message ?? ""} ${JSON.stringify(error.params)}`), name).toEqual([]);
}

/** The property names the document gives the schema `name`, sorted (to compare with a real response's keys). */
export function documentedProperties(name: SchemaName): string[] {
  return Object.keys(openapiDocument.components.schemas[name].properties).sort();
}
