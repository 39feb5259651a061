// The official Cartesia client (npm @cartesia/cartesia-js) against Voicebridge's Cartesia emulator.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import net from "node:net";
import { env, sha256, record, wavHeader } from "./support.mjs";

// On Node 20 the client's ES-module build cannot load its `ws` peer; its CommonJS build can.
const require = createRequire(import.meta.url);
const { Cartesia, AuthenticationError } = require("@cartesia/cartesia-js");
const { TTSWS } = require("@cartesia/cartesia-js/resources/tts/index");

const baseURL = env("CARTESIA_BASE_URL");
const apiKey = env("INTEROP_API_KEY");
const voice = "a0e99841-438c-4a64-b679-ae501e7d6091";
const raw = (sample_rate) => ({ container: "raw", encoding: "pcm_s16le", sample_rate });

// The client forces wss:// onto any base URL; on loopback the emulator speaks plain ws, so the
// socket is opened with a plain TCP connection under that URL (ws honours createConnection).
const plain = { createConnection: (o) => net.connect(o.port, o.host) };

// Collects a context's events until done (receive() throws on an error event).
async function collect(ctx) {
  const out = { audio: [], flushDone: [], chunkFlushIds: [], words: [], types: [] };
  for await (const ev of ctx.receive()) {
    out.types.push(ev.type);
    if (ev.type === "chunk") {
      out.audio.push(Buffer.from(ev.audio));
      out.chunkFlushIds.push(ev.flush_id);
    } else if (ev.type === "flush_done") {
      out.flushDone.push(ev.flush_id);
    } else if (ev.type === "timestamps") {
      out.words.push(...ev.word_timestamps.words);
    }
  }
  out.audio = Buffer.concat(out.audio);
  return out;
}

test("tts.generate returns a WAV from /tts/bytes", async () => {
  const client = new Cartesia({ apiKey, baseURL, maxRetries: 0 });
  const text = "Hello from the official Cartesia client, as bytes.";
  const response = await client.tts.generate({
    model_id: "sonic-3",
    transcript: text,
    voice: { mode: "id", id: voice },
    output_format: { container: "wav", encoding: "pcm_s16le", sample_rate: 24000 },
  });
  const audio = Buffer.from(await response.arrayBuffer());
  const h = wavHeader(audio);
  assert.equal(h.sampleRate, 24000);
  assert.equal(h.channels, 1);
  assert.equal(h.bits, 16);
  assert.ok(audio.length > h.dataOffset);
  record("cartesia-bytes", { text, bytes: audio.length, sha256: sha256(audio), version: "2026-08-14" });
});

test("tts.generateSSE streams chunks, timestamps and done from /tts/sse", async () => {
  const client = new Cartesia({ apiKey, baseURL, maxRetries: 0 });
  const text = "Server sent events, word by word.";
  const stream = await client.tts.generateSSE({
    model_id: "sonic-3",
    transcript: text,
    voice,
    output_format: raw(16000),
    add_timestamps: true,
    context_id: "sse-check",
  });
  const parts = [];
  const words = [];
  const types = [];
  for await (const ev of stream) {
    types.push(ev.type);
    assert.equal(ev.context_id, "sse-check");
    if (ev.type === "chunk") {
      parts.push(Buffer.from(ev.data, "base64"));
    } else if (ev.type === "timestamps") {
      words.push(...ev.word_timestamps.words);
    }
  }
  assert.equal(types.at(-1), "done");
  assert.deepEqual(words, text.split(" "));
  const audio = Buffer.concat(parts);
  assert.ok(audio.length > 0);
  assert.equal(audio.length % 2, 0, "whole 16-bit samples");
  record("cartesia-sse", { text, bytes: audio.length, sha256: sha256(audio) });
});

test("the WebSocket: push, flush, push, end; two contexts on one socket; cancel", async () => {
  const client = new Cartesia({ apiKey, baseURL, maxRetries: 0 });
  const ws = await client.tts.websocket(plain);
  const socketErrors = [];
  ws.on("error", (e) => socketErrors.push(e)); // without a listener an error frame ends the process
  try {
    const options = {
      model_id: "sonic-3",
      voice,
      output_format: raw(24000),
      add_timestamps: true,
      max_buffer_delay_ms: 0,
      timeout: 20000,
    };
    const a = ws.context({ ...options, contextId: "interop-a" });
    const b = ws.context({ ...options, contextId: "interop-b" });
    const receivedA = collect(a);
    const receivedB = collect(b);
    await a.push({ transcript: "Hello from the official " });
    await b.push({ transcript: "A second context " });
    await a.flush();
    await a.push({ transcript: "Cartesia client." });
    await b.push({ transcript: "on the same socket." });
    await a.no_more_inputs();
    await b.no_more_inputs();
    const [ra, rb] = await Promise.all([receivedA, receivedB]);

    assert.equal(ra.types.at(-1), "done");
    assert.deepEqual(ra.flushDone, [1]);
    assert.equal(ra.chunkFlushIds[0], 1);
    assert.equal(ra.chunkFlushIds.at(-1), 2);
    assert.deepEqual(ra.words, ["Hello", "from", "the", "official", "Cartesia", "client."]);
    assert.equal(rb.types.at(-1), "done");
    assert.deepEqual(rb.flushDone, []);
    for (const [name, r, text] of [
      ["cartesia-ws-a", ra, "Hello from the official Cartesia client."],
      ["cartesia-ws-b", rb, "A second context on the same socket."],
    ]) {
      assert.ok(r.audio.length > 0);
      record(name, { text, bytes: r.audio.length, sha256: sha256(r.audio), flushes: r === ra ? 1 : 0, version: "2026-08-14" });
    }

    // a cancelled context: the client forgets it at once; the server records the cancel
    const c = ws.context({ ...options, contextId: "interop-cancel" });
    await c.push({ transcript: "Cancel me before I finish." });
    await c.cancel();
    record("cartesia-ws-cancel", { text: "Cancel me before I finish.", contextId: "interop-cancel", cancelled: true });
    assert.deepEqual(socketErrors, []);
  } finally {
    ws.close();
  }
});

test("an error frame reaches the client as its error, with the emulator's message", async () => {
  const client = new Cartesia({ apiKey, baseURL, maxRetries: 0 });
  const ws = await client.tts.websocket(plain);
  const socketErrors = [];
  ws.on("error", (e) => socketErrors.push(e));
  try {
    const ctx = ws.context({ model_id: "no-such-model", voice, output_format: raw(16000), timeout: 20000 });
    await ctx.push({ transcript: "This model does not exist." });
    await assert.rejects(collect(ctx), (err) => /no-such-model/.test(err.message));
    assert.equal(socketErrors.length, 1);
    assert.equal(socketErrors[0].error.error_code, "model_not_found");
    assert.equal(socketErrors[0].error.context_id, ctx.contextId);
  } finally {
    ws.close();
  }
});

test("a wrong key fails the way the client expects: 401 on HTTP and at the upgrade", async () => {
  const client = new Cartesia({ apiKey: "wrong-key", baseURL, maxRetries: 0 });
  await assert.rejects(
    client.tts.generate({ model_id: "sonic-3", transcript: "Nope.", voice, output_format: raw(16000) }),
    (err) => err instanceof AuthenticationError && err.status === 401,
  );
  // client.tts.websocket() cannot take an error listener before it connects, so a refused upgrade
  // would also be an unhandled rejection (ending node); the socket class itself can
  const ws = new TTSWS(client, plain);
  const socketErrors = [];
  ws.on("error", (e) => socketErrors.push(e));
  await assert.rejects(ws.connect(), (err) => /Unexpected server response: 401/.test(err.message));
  assert.equal(socketErrors.length, 1);
});
