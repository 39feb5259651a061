// Shared helpers for the interop checks: where the emulators are, and where results go.
import { createHash } from "node:crypto";
import { writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";

export function env(name) {
  const v = process.env[name];
  if (!v) {
    throw new Error(`${name} is not set: run these checks through the interop module (mvn verify)`);
  }
  return v;
}

export const sha256 = (buf) => createHash("sha256").update(buf).digest("hex");

// Records what a check sent and received, for the Java side to compare with the emulator's records.
export function record(name, data) {
  const dir = env("INTEROP_RESULTS");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.json`), JSON.stringify(data, null, 2));
}

export async function readAll(stream) {
  const parts = [];
  for await (const chunk of stream) {
    parts.push(Buffer.from(chunk));
  }
  return Buffer.concat(parts);
}

// Reads a WAV header: { sampleRate, channels, bits, dataOffset }.
export function wavHeader(buf) {
  if (buf.toString("ascii", 0, 4) !== "RIFF" || buf.toString("ascii", 8, 12) !== "WAVE") {
    throw new Error("not a RIFF/WAVE stream");
  }
  let off = 12;
  let fmt = null;
  while (off + 8 <= buf.length) {
    const id = buf.toString("ascii", off, off + 4);
    const size = buf.readUInt32LE(off + 4);
    if (id === "fmt ") {
      fmt = {
        format: buf.readUInt16LE(off + 8),
        channels: buf.readUInt16LE(off + 10),
        sampleRate: buf.readUInt32LE(off + 12),
        bits: buf.readUInt16LE(off + 22),
      };
    }
    if (id === "data") {
      return { ...fmt, dataOffset: off + 8 };
    }
    off += 8 + size;
  }
  throw new Error("no data chunk");
}
