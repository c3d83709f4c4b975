/** Finding a person by name: an exact first name goes first and is taken when it is the only one. */
import assert from "node:assert/strict";
import { describe, test } from "vitest";
import { nameMatchRank, pickByName, rankByName } from "../../src/core/directory/name-match.ts";

const person = (displayName: string) => ({ displayName });
const names = (people: readonly { displayName: string }[]) => people.map((p) => p.displayName);

describe("people by name", () => {
  test("how a name answers the text", () => {
    assert.equal(nameMatchRank("erik", "Erik Lindqvist"), "first");
    assert.equal(nameMatchRank("ERIK", "Chloé Eriksson"), "partPrefix");
    assert.equal(nameMatchRank("eriksson", "Chloé Eriksson"), "part");
    assert.equal(nameMatchRank("erik lindqvist", "Erik Lindqvist"), "full");
    assert.equal(nameMatchRank("eri", "Erik Lindqvist"), "prefix");
    assert.equal(nameMatchRank("lind", "Erik Lindqvist"), "partPrefix");
    assert.equal(nameMatchRank("sofia", "Erik Lindqvist"), undefined);
  });

  test('"erik" is Erik Lindqvist, not Chloé Eriksson, whichever order the directory gives them', () => {
    for (const people of [
      [person("Chloé Eriksson"), person("Erik Lindqvist")],
      [person("Erik Lindqvist"), person("Chloé Eriksson")],
    ]) {
      assert.deepEqual(names(pickByName("erik", people)), ["Erik Lindqvist"]);
      assert.deepEqual(names(pickByName("Erik", people)), ["Erik Lindqvist"]);
    }
  });

  test("two exact first names are both offered, before the partial matches", () => {
    const people = [person("Chloé Eriksson"), person("Erik Nilsson"), person("Erik Lindqvist")];
    assert.deepEqual(names(pickByName("erik", people)), ["Erik Nilsson", "Erik Lindqvist", "Chloé Eriksson"]);
    // The full name settles it.
    assert.deepEqual(names(pickByName("erik lindqvist", people)), ["Erik Lindqvist"]);
  });

  test("without an exact match every partial one is offered, best first", () => {
    const people = [person("Chloé Eriksson"), person("Erika Costa"), person("Ana Souza")];
    assert.deepEqual(names(pickByName("erik", people)), ["Erika Costa", "Chloé Eriksson"]);
  });

  test("the type-ahead keeps everyone and puts the exact name first", () => {
    const people = [person("Chloé Eriksson"), person("Erika Costa"), person("Erik Lindqvist")];
    assert.deepEqual(names(rankByName("erik", people)), ["Erik Lindqvist", "Erika Costa", "Chloé Eriksson"]);
  });
});
