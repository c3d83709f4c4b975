import assert from "node:assert/strict";
import { afterAll, beforeAll, describe, test } from "vitest";
import { type BotHarness, people, startBotHarness } from "./harness.ts";

describe("an unexpected failure is logged and answered, never silence", () => {
  let h: BotHarness;

  beforeAll(async () => {
    h = await startBotHarness();
    // A real storage failure: the table of conversation references is gone.
    await h.database.executeSql("drop table conversation_refs");
  });
  afterAll(async () => h?.stop());

  test("the person is told in their language", async () => {
    const [en] = await h.say(people.ana, "help");
    assert.equal(en!.body.text, "Sorry, something went wrong on our side. Try again in a moment.");
    const [pt] = await h.say(people.erik, "ajuda", { locale: "pt-BR" });
    assert.equal(pt!.body.text, "Desculpe, algo deu errado do nosso lado. Tente de novo em instantes.");
  });
});
