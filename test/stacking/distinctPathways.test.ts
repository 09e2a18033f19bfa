import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../src/errors/issuerErrors.ts";
import { distinctPathways } from "../../src/stacking/distinctPathways.ts";
import { pathwayFromValue } from "../../src/stacking/pathwayFromValue.ts";

// The pathways of several files (credreg verify --portfolio --pathways <dir>, the portfolio page): each pathway once.

const example = async () => JSON.parse(await readFile("examples/pathway.json", "utf8")) as Record<string, unknown>;

describe("distinctPathways", () => {
  it("default: different pathways come back in the files' order", async () => {
    const first = pathwayFromValue(await example());
    const second = pathwayFromValue({ ...(await example()), id: "https://demo-university.example/pathways/other" });
    expect(distinctPathways([{ name: "b.json", pathway: second }, { name: "a.json", pathway: first }])).toEqual([second, first]);
  });

  it("error: two files describing one pathway are refused, naming both files and the pathway", async () => {
    const pathway = pathwayFromValue(await example());
    let refusal: unknown;
    try {
      distinctPathways([{ name: "one.json", pathway }, { name: "other.json", pathway: pathwayFromValue({ ...(await example()), minCredits: 1 }) }]);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(InvalidInputError);
    expect((refusal as InvalidInputError).shortMessage).toBe(`The pathway files one.json and other.json both describe ${pathway.rule.id}.`);
    expect((refusal as InvalidInputError).metaMessages).toEqual(["Keep one file per pathway."]);
  });
});
