// The official Deepgram client (npm @deepgram/sdk) against Voicebridge's Deepgram emulator.
// Its reconnects (30 by default on any close but 1000) and REST retries (on 408/429/5xx) are
// turned off, so that a refusal is seen once, as a caller sees it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { DeepgramClient } from "@deepgram/sdk";
import { env, sha256, record } from "./support.mjs";

const baseUrl = env("DEEPGRAM_BASE_URL");
const apiKey = env("INTEROP_API_KEY");
const model = "aura-2-thalia-en";

test("speak.v1.audio.generate streams linear16 with Deepgram's headers", async () => {
  const client = new DeepgramClient({ apiKey, baseUrl, maxRetries: 0 });
  const text = "Hello from the official Deepgram client.";
  const { data, rawResponse } = await client.speak.v1.audio
    .generate({ text, model, encoding: "linear16", container: "none", sample_rate: 24000 })
    .withRawResponse();
  assert.equal(rawResponse.status, 200);
  assert.equal(rawResponse.headers.get("content-type"), "audio/l16;rate=24000");
  assert.equal(rawResponse.headers.get("dg-char-count"), String(text.length));
  assert.equal(rawResponse.headers.get("dg-model-name"), model);
  const requestId = rawResponse.headers.get("dg-request-id");
  assert.match(requestId, /^[0-9a-f-]{36}$/);
  const audio = Buffer.from(await data.arrayBuffer());
  assert.ok(audio.length > 0);
  assert.equal(audio.length % 2, 0, "whole 16-bit samples");
  record("deepgram-rest", { text, bytes: audio.length, sha256: sha256(audio), requestId });
});

test("speak.v1.audio.generate defaults to MP3", async () => {
  const client = new DeepgramClient({ apiKey, baseUrl, maxRetries: 0 });
  const { data, rawResponse } = await client.speak.v1.audio
    .generate({ text: "An MP3 by default.", model })
    .withRawResponse();
  assert.equal(rawResponse.headers.get("content-type"), "audio/mpeg");
  const mp3 = Buffer.from(await data.arrayBuffer());
  assert.equal(mp3[0], 0xff, "an MPEG frame sync");
  assert.equal(mp3[1] & 0xe0, 0xe0);
});

test("speak.v1.connect: Metadata, Speak, Flush, audio, Flushed in order, Close", async () => {
  const client = new DeepgramClient({ apiKey, baseUrl });
  const socket = await client.speak.v1.connect({
    model,
    encoding: "linear16",
    sample_rate: 24000,
    reconnectAttempts: 0,
  });
  const messages = [];
  const audio = []; // Blobs turn into bytes asynchronously: keep the promises in order
  const waiters = [];
  const closed = new Promise((resolve) => socket.on("close", resolve));
  socket.on("error", (e) => messages.push({ type: "error", message: e.message }));
  socket.on("message", (m) => {
    if (m instanceof Blob || m instanceof ArrayBuffer || ArrayBuffer.isView(m)) {
      audio.push(m instanceof Blob ? m.arrayBuffer() : Promise.resolve(m));
      return;
    }
    messages.push(m);
    for (const w of waiters.splice(0)) {
      w();
    }
  });
  const until = (predicate) =>
    new Promise((resolve) => {
      const check = () => (messages.some(predicate) ? resolve() : waiters.push(check));
      check();
    });
  socket.connect();
  await socket.waitForOpen();
  await until((m) => m.type === "Metadata");
  const first = "Hello from the emulator. ";
  const second = "A second flush.";
  socket.sendText({ type: "Speak", text: first });
  socket.sendFlush({ type: "Flush" });
  await until((m) => m.type === "Flushed" && m.sequence_id === 0);
  const afterFirst = audio.length;
  socket.sendText({ type: "Speak", text: second });
  socket.sendFlush({ type: "Flush" });
  await until((m) => m.type === "Flushed" && m.sequence_id === 1);
  socket.sendClose({ type: "Close" });
  const close = await closed;
  assert.equal(close.code, 1000);
  assert.ok(afterFirst > 0, "audio before the first Flushed");
  assert.ok(audio.length > afterFirst, "audio of the second flush before its Flushed");
  const types = messages.map((m) => m.type);
  assert.deepEqual(types, ["Metadata", "Flushed", "Flushed"]);
  const meta = messages[0];
  assert.equal(meta.model_name, model);
  const bytes = Buffer.concat((await Promise.all(audio)).map((b) => Buffer.from(b)));
  assert.equal(bytes.length % 2, 0);
  record("deepgram-live", {
    text: first + second,
    bytes: bytes.length,
    sha256: sha256(bytes),
    requestId: meta.request_id,
  });
});

test("a wrong key fails the WebSocket handshake once, with the 401", async () => {
  const client = new DeepgramClient({ apiKey: "wrong-key", baseUrl });
  const socket = await client.speak.v1.connect({ model, reconnectAttempts: 0 });
  const errors = [];
  socket.on("error", (e) => errors.push(e.message));
  socket.connect();
  await assert.rejects(socket.waitForOpen());
  assert.ok(
    errors.some((m) => m.includes("401")),
    `the error names the status: ${JSON.stringify(errors)}`,
  );
  socket.close();
});

test("a wrong key fails REST with DeepgramError 401 and the legacy error body", async () => {
  const client = new DeepgramClient({ apiKey: "wrong-key", baseUrl, maxRetries: 0 });
  await assert.rejects(
    client.speak.v1.audio.generate({ text: "Nope.", model, encoding: "linear16" }),
    (err) => err.statusCode === 401 && err.body?.err_code === "INVALID_AUTH",
  );
});
