import { containsGrader } from './contains.ts';
import { equalsGrader } from './equals.ts';
import type { GraderFamily } from './family.ts';
import { isJsonGrader } from './is-json.ts';
import { regexGrader } from './regex.ts';

/** Every grader family the workload may name, by name. */
export const graderFamilies: ReadonlyMap<string, GraderFamily> = new Map(
  [equalsGrader, containsGrader, regexGrader, isJsonGrader].map((family) => [family.name, family]),
);
