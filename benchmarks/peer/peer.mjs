// The vendors' own clients, timed: one long-lived process driven over stdin/stdout JSON lines, so
// Node start-up is never measured. In: {"id", "kind": "fish-ws"|"fish-http"|"elevenlabs-http"|
// "cartesia-ws"|"cartesia-sse"|"cartesia-bytes"|"deepgram-ws"|"deepgram-http", "text"}.
// Out: {"id", "first", "last", "bytes"} (nanoseconds from the call to the first and last audio) or
// {"id", "error"}. Env: FISH_BASE_URL, ELEVENLABS_BASE_URL, CARTESIA_BASE_URL, DEEPGRAM_BASE_URL,
// PEER_API_KEY, INTEROP_DIR (the directory holding node_modules with fish-audio,
// @elevenlabs/elevenlabs-js, @cartesia/cartesia-js and @deepgram/sdk).
import { createRequire } from "node:module";
import { createInterface } from "node:readline";
import net from "node:net";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const require = createRequire(join(process.env.INTEROP_DIR, "package.json"));
// fish-audio's package is "type": "module", so its CommonJS build cannot be required: import its ESM entry
const { FishAudioClient, RealtimeEvents } = await import(
  pathToFileURL(join(process.env.INTEROP_DIR, "node_modules/fish-audio/dist/esm/index.js")).href
);
const { ElevenLabsClient } = require("@elevenlabs/elevenlabs-js");
// on Node 20 the Cartesia client's ES-module build cannot load its ws peer; its CommonJS build can
const { Cartesia } = require("@cartesia/cartesia-js");
const { DeepgramClient } = require("@deepgram/sdk");

const apiKey = process.env.PEER_API_KEY;
const fish = new FishAudioClient({ apiKey, baseUrl: process.env.FISH_BASE_URL });
const eleven = new ElevenLabsClient({ apiKey, baseUrl: process.env.ELEVENLABS_BASE_URL, maxRetries: 0 });
// reconnects and retries off, so that a failure is seen once
const deepgram = new DeepgramClient({ apiKey, baseUrl: process.env.DEEPGRAM_BASE_URL, maxRetries: 0 });
const deepgramModel = "aura-2-thalia-en";
const voiceId = "JBFqnCBsd6RMkjVDRZzb";
const cartesia = new Cartesia({ apiKey, baseURL: process.env.CARTESIA_BASE_URL, maxRetries: 0 });
// the voice, model and format provider-cartesia sends by default, timestamps included
const cartesiaRequest = {
  model_id: "sonic-3",
  voice: "794f9389-aac1-45b6-b726-9d9369183238",
  output_format: { container: "raw", encoding: "pcm_s16le", sample_rate: 24000 },
};
const now = () => process.hrtime.bigint();

async function fishWs(text) {
  const t0 = now();
  let first = null;
  let last = null;
  let bytes = 0;
  await new Promise(async (resolve, reject) => {
    async function* tokens() {
      yield text;
    }
    let connection;
    let settled = false;
    const end = (err) => {
      if (settled) return;
      settled = true;
      connection.close();
      err ? reject(err) : resolve();
    };
    connection = await fish.textToSpeech.convertRealtime(
      { text: "", format: "pcm", sample_rate: 24000, latency: "balanced" },
      tokens(),
      "s1",
    );
    connection.on(RealtimeEvents.AUDIO_CHUNK, (audio) => {
      last = now();
      if (first === null) first = last;
      bytes += audio.length;
    });
    connection.on(RealtimeEvents.ERROR, (e) => end(e instanceof Error ? e : new Error(String(e))));
    connection.on(RealtimeEvents.CLOSE, () => end());
  });
  return { first: first - t0, last: last - t0, bytes };
}

async function consume(t0, stream) {
  let first = null;
  let last = null;
  let bytes = 0;
  for await (const chunk of stream) {
    last = now();
    if (first === null) first = last;
    bytes += chunk.length;
  }
  return { first: first - t0, last: last - t0, bytes };
}

async function fishHttp(text) {
  const t0 = now();
  const stream = await fish.textToSpeech.convert({ text, format: "pcm", sample_rate: 24000 }, "s1");
  return consume(t0, stream);
}

async function elevenHttp(text) {
  const t0 = now();
  const stream = await eleven.textToSpeech.stream(voiceId, {
    text,
    modelId: "eleven_flash_v2_5",
    outputFormat: "pcm_24000",
  });
  return consume(t0, stream);
}

// One socket for every run, as the client is meant to be used: a context per utterance. The client
// forces wss:// onto the base URL; the emulator speaks plain ws on loopback, so the socket is opened
// with a plain TCP connection under that URL (as in interop/checks/cartesia.test.mjs).
let cartesiaSocket = null;
let cartesiaContexts = 0;

async function cartesiaWs(text) {
  if (cartesiaSocket === null) {
    cartesiaSocket = await cartesia.tts.websocket({ createConnection: (o) => net.connect(o.port, o.host) });
    cartesiaSocket.on("error", () => {}); // an error frame also ends receive(); without a listener it ends node
  }
  const t0 = now();
  const ctx = cartesiaSocket.context({
    ...cartesiaRequest,
    add_timestamps: true,
    contextId: `peer-${++cartesiaContexts}`,
    timeout: 30000,
  });
  await ctx.push({ transcript: text });
  await ctx.no_more_inputs();
  let first = null;
  let last = null;
  let bytes = 0;
  for await (const ev of ctx.receive()) {
    if (ev.type === "chunk") {
      last = now();
      if (first === null) first = last;
      bytes += ev.audio.length;
    }
  }
  return { first: first - t0, last: last - t0, bytes };
}

async function cartesiaSse(text) {
  const t0 = now();
  const stream = await cartesia.tts.generateSSE({ ...cartesiaRequest, transcript: text, add_timestamps: true });
  let first = null;
  let last = null;
  let bytes = 0;
  for await (const ev of stream) {
    if (ev.type === "chunk") {
      const audio = Buffer.from(ev.data, "base64");
      last = now();
      if (first === null) first = last;
      bytes += audio.length;
    }
  }
  return { first: first - t0, last: last - t0, bytes };
}

async function cartesiaBytes(text) {
  const t0 = now();
  const response = await cartesia.tts.generate({ ...cartesiaRequest, transcript: text });
  return consume(t0, response.body);
}

async function deepgramHttp(text) {
  const t0 = now();
  const response = await deepgram.speak.v1.audio.generate({
    text,
    model: deepgramModel,
    encoding: "linear16",
    container: "none",
    sample_rate: 24000,
  });
  return consume(t0, response.stream());
}

// one socket per session, as the adapter opens (a socket takes 2,400 characters a minute): Speak,
// Flush, audio until Flushed, then Close and the server's close
async function deepgramWs(text) {
  const t0 = now();
  let first = null;
  let last = null;
  let bytes = 0;
  const socket = await deepgram.speak.v1.connect({
    model: deepgramModel,
    encoding: "linear16",
    sample_rate: 24000,
    reconnectAttempts: 0,
  });
  const closed = new Promise((resolve) => socket.on("close", resolve));
  await new Promise((resolve, reject) => {
    socket.on("error", (e) => reject(e instanceof Error ? e : new Error(String(e))));
    socket.on("message", (m) => {
      if (m instanceof Blob || m instanceof ArrayBuffer || ArrayBuffer.isView(m)) {
        // the time the message arrived; its size without waiting for the Blob's bytes
        last = now();
        if (first === null) first = last;
        bytes += m instanceof Blob ? m.size : m.byteLength;
      } else if (m.type === "Flushed") {
        resolve();
      }
    });
    socket.connect();
    socket
      .waitForOpen()
      .then(() => {
        socket.sendText({ type: "Speak", text });
        socket.sendFlush({ type: "Flush" });
      })
      .catch(reject);
  });
  socket.sendClose({ type: "Close" });
  await closed;
  return { first: first - t0, last: last - t0, bytes };
}

const kinds = {
  "fish-ws": fishWs,
  "fish-http": fishHttp,
  "elevenlabs-http": elevenHttp,
  "cartesia-ws": cartesiaWs,
  "cartesia-sse": cartesiaSse,
  "cartesia-bytes": cartesiaBytes,
  "deepgram-ws": deepgramWs,
  "deepgram-http": deepgramHttp,
};
const rl = createInterface({ input: process.stdin });
for await (const line of rl) {
  if (!line.trim()) continue;
  const req = JSON.parse(line);
  try {
    const r = await kinds[req.kind](req.text);
    process.stdout.write(
      JSON.stringify({ id: req.id, first: Number(r.first), last: Number(r.last), bytes: r.bytes }) + "\n",
    );
  } catch (e) {
    process.stdout.write(JSON.stringify({ id: req.id, error: String(e && e.message ? e.message : e) }) + "\n");
  }
}
if (cartesiaSocket !== null) cartesiaSocket.close(); // else node would not exit at the end of input
