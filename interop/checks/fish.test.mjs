// The official Fish Audio client (npm fish-audio) against Voicebridge's Fish emulator.
import { test } from "node:test";
import assert from "node:assert/strict";
import { FishAudioClient, RealtimeEvents } from "fish-audio";
import { env, sha256, record, readAll, wavHeader } from "./support.mjs";

const baseUrl = env("FISH_BASE_URL");
const apiKey = env("INTEROP_API_KEY");

function realtime(client, request, tokens, backend) {
  return new Promise(async (resolve) => {
    async function* stream() {
      for (const t of tokens) {
        yield t;
      }
    }
    const chunks = [];
    const errors = [];
    let settled = false;
    let connection;
    const done = () => {
      if (!settled) {
        settled = true;
        // the server keeps the socket open after finish for another session; this check is done with it
        connection.close();
        resolve({ audio: Buffer.concat(chunks), errors });
      }
    };
    connection = await client.textToSpeech.convertRealtime(request, stream(), backend);
    connection.on(RealtimeEvents.AUDIO_CHUNK, (audio) => chunks.push(Buffer.from(audio)));
    connection.on(RealtimeEvents.ERROR, (err) => {
      errors.push(String(err && err.message ? err.message : err));
      done();
    });
    connection.on(RealtimeEvents.CLOSE, done);
  });
}

test("convertRealtime streams PCM over the WebSocket and finishes", async () => {
  const client = new FishAudioClient({ apiKey, baseUrl });
  const tokens = ["Hello from the official ", "Fish Audio client. ", "It streams text over a WebSocket."];
  const { audio, errors } = await realtime(
    client,
    { text: "", format: "pcm", sample_rate: 16000, latency: "balanced" },
    tokens,
    "s1",
  );
  assert.deepEqual(errors, []);
  assert.ok(audio.length > 0, "audio arrived");
  assert.equal(audio.length % 2, 0, "whole 16-bit samples");
  record("fish-realtime", { text: tokens.join(""), bytes: audio.length, sha256: sha256(audio), model: "s1" });
});

test("convert streams a WAV over HTTP (MessagePack body)", async () => {
  const client = new FishAudioClient({ apiKey, baseUrl });
  const text = "The HTTP endpoint streams chunked audio.";
  const stream = await client.textToSpeech.convert({ text, format: "wav", sample_rate: 24000 }, "s2-pro");
  const audio = await readAll(stream);
  const h = wavHeader(audio);
  assert.equal(h.sampleRate, 24000);
  assert.equal(h.channels, 1);
  assert.equal(h.bits, 16);
  assert.ok(audio.length > h.dataOffset, "samples after the header");
  record("fish-http", { text, bytes: audio.length, sha256: sha256(audio), model: "s2-pro" });
});

test("a wrong key fails the way the client expects", async () => {
  const client = new FishAudioClient({ apiKey: "wrong-key", baseUrl });
  await assert.rejects(
    async () => readAll(await client.textToSpeech.convert({ text: "Nope." })),
    (err) => err.statusCode === 401,
  );
  const { errors } = await realtime(client, { text: "" }, ["Nope."], "s1");
  assert.equal(errors.length, 1, "the handshake refusal reaches the ERROR event");
  assert.match(errors[0], /401/);
});
