// The official ElevenLabs client (npm @elevenlabs/elevenlabs-js) against Voicebridge's ElevenLabs emulator.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ElevenLabsClient } from "@elevenlabs/elevenlabs-js";
import { env, sha256, record, readAll } from "./support.mjs";

const baseUrl = env("ELEVENLABS_BASE_URL");
const apiKey = env("INTEROP_API_KEY");
const voiceId = "JBFqnCBsd6RMkjVDRZzb";

test("textToSpeech.stream returns chunked PCM", async () => {
  const client = new ElevenLabsClient({ apiKey, baseUrl });
  const text = "Hello from the official ElevenLabs client.";
  const stream = await client.textToSpeech.stream(voiceId, {
    text,
    modelId: "eleven_flash_v2_5",
    outputFormat: "pcm_16000",
  });
  const audio = await readAll(stream);
  assert.ok(audio.length > 0);
  assert.equal(audio.length % 2, 0, "whole 16-bit samples");
  record("elevenlabs-stream", { text, bytes: audio.length, sha256: sha256(audio), voiceId });
});

test("textToSpeech.streamWithTimestamps returns audio with character alignment", async () => {
  const client = new ElevenLabsClient({ apiKey, baseUrl });
  const text = "Timings for every character.";
  const stream = await client.textToSpeech.streamWithTimestamps(voiceId, {
    text,
    modelId: "eleven_flash_v2_5",
    outputFormat: "pcm_16000",
  });
  const parts = [];
  let characters = "";
  let lastEnd = 0;
  for await (const chunk of stream) {
    assert.equal(typeof chunk.audioBase64, "string");
    parts.push(Buffer.from(chunk.audioBase64, "base64"));
    if (chunk.alignment) {
      characters += chunk.alignment.characters.join("");
      const ends = chunk.alignment.characterEndTimesSeconds;
      assert.equal(ends.length, chunk.alignment.characters.length);
      for (const e of ends) {
        assert.ok(e >= lastEnd - 1e-9, "end times never go back");
        lastEnd = e;
      }
    }
  }
  const audio = Buffer.concat(parts);
  assert.ok(audio.length > 0);
  assert.equal(characters.trim(), text);
  record("elevenlabs-timestamps", { text, bytes: audio.length, sha256: sha256(audio), voiceId });
});

test("a wrong key fails with 401 the way the client expects", async () => {
  const client = new ElevenLabsClient({ apiKey: "wrong-key", baseUrl, maxRetries: 0 });
  await assert.rejects(
    async () => readAll(await client.textToSpeech.stream(voiceId, { text: "Nope.", outputFormat: "pcm_16000" })),
    (err) => err.statusCode === 401,
  );
});
