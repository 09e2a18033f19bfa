/**
 * The European Learning Model's "Mode of learning and assessment" concepts (EU Vocabularies, scheme
 * http://data.europa.eu/snb/learning-assessment/25831c2) that ELM `mode` takes, pinned: the IRIs are opaque codes.
 */
export const LEARNING_MODE_IRIS = {
  online: "http://data.europa.eu/snb/learning-assessment/920fbb3cbe",
  blended: "http://data.europa.eu/snb/learning-assessment/e92d221e4d",
  presential: "http://data.europa.eu/snb/learning-assessment/9191af2ed9",
  workBased: "http://data.europa.eu/snb/learning-assessment/729f3bed4b",
  projectBased: "http://data.europa.eu/snb/learning-assessment/7813801c77",
  researchLabBased: "http://data.europa.eu/snb/learning-assessment/ed4c557045",
} as const;

/** v1's `participation` as an ELM mode: on site is ELM's "presential". */
export const MODE_OF_PARTICIPATION = {
  online: LEARNING_MODE_IRIS.online,
  onsite: LEARNING_MODE_IRIS.presential,
  blended: LEARNING_MODE_IRIS.blended,
} as const;
