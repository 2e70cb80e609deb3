/**
 * TensorFlow.js models as files, in the format tfjs itself writes and reads (`model.json` with the
 * layers topology and a weights manifest, plus `weights.bin`; what tfjs-node's `file://` handler
 * and tensorflowjs_converter produce), so a saved network opens in any tfjs tool.
 *
 * `fileIOHandler(dir)` is a `tf.io.IOHandler` for `model.save(...)` and `tf.loadLayersModel(...)`.
 * The registry is synchronous, so it uses the synchronous halves: `networkWeights` (weights out of
 * a live network), `writeNetwork` / `readNetworkWeights` (the same files), `setNetworkWeights`.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';

/** A network's weights as tfjs carries them between handlers: specs plus one little-endian buffer. */
export interface NetworkWeights {
  specs: tf.io.WeightsManifestEntry[];
  data: ArrayBuffer;
}

const MODEL_FILE = 'model.json';
const WEIGHTS_FILE = 'weights.bin';

/** The current weights of a network (float32, in the network's own weight order and names). */
export function networkWeights(net: tf.LayersModel): NetworkWeights {
  // getWeights() hands out the variables' own tensors: read them, never dispose them
  const values = net.getWeights();
  const specs = net.weights.map((w, i) => ({
    name: w.originalName,
    shape: values[i].shape,
    dtype: 'float32' as const,
  }));
  const parts = values.map((v) => v.dataSync() as Float32Array);
  const data = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    data.set(p, at);
    at += p.length;
  }
  return { specs, data: data.buffer };
}

/** Sets weights decoded from `NetworkWeights` on a network of the same architecture, in order. */
export function setNetworkWeights(net: tf.LayersModel, w: NetworkWeights): void {
  const named = tf.io.decodeWeights(w.data, w.specs);
  const tensors = w.specs.map((s) => named[s.name]);
  net.setWeights(tensors);
  tensors.forEach((t) => t.dispose());
}

interface ModelJson {
  modelTopology: object;
  format: string;
  generatedBy: string;
  convertedBy: string | null;
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
}

/** Writes `dir/model.json` and `dir/weights.bin` for a network (topology from the live net). */
export function writeNetwork(net: tf.LayersModel, dir: string): void {
  writeArtifacts(dir, net.toJSON(undefined, false) as object, networkWeights(net));
}

function writeArtifacts(dir: string, topology: object, w: NetworkWeights): void {
  mkdirSync(dir, { recursive: true });
  const json: ModelJson = {
    modelTopology: topology,
    format: 'layers-model',
    generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
    convertedBy: null,
    weightsManifest: [{ paths: [`./${WEIGHTS_FILE}`], weights: w.specs }],
  };
  writeFileSync(join(dir, WEIGHTS_FILE), new Uint8Array(w.data));
  writeFileSync(join(dir, MODEL_FILE), JSON.stringify(json));
}

function readJson(dir: string): ModelJson {
  const file = join(dir, MODEL_FILE);
  const json = JSON.parse(readFileSync(file, 'utf8')) as ModelJson;
  if (!json.modelTopology || !Array.isArray(json.weightsManifest))
    throw new Error(`${file}: not a TensorFlow.js layers model (needs modelTopology and weightsManifest)`);
  return json;
}

/** The weights stored in `dir` (every group's files concatenated in manifest order, as tfjs does). */
export function readNetworkWeights(dir: string): NetworkWeights {
  const json = readJson(dir);
  const buffers = json.weightsManifest.flatMap((g) =>
    g.paths.map((p) => {
      const b = readFileSync(join(dir, p));
      return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
    }),
  );
  const specs = json.weightsManifest.flatMap((g) => g.weights);
  return { specs, data: tf.io.concatenateArrayBuffers(buffers) };
}

/** A `tf.io.IOHandler` reading and writing a model folder: `net.save(h)`, `tf.loadLayersModel(h)`. */
export function fileIOHandler(dir: string): tf.io.IOHandler {
  return {
    async save(artifacts) {
      if (
        !artifacts.modelTopology ||
        artifacts.weightSpecs === undefined ||
        artifacts.weightData === undefined
      )
        throw new Error(`${dir}: a model needs its topology and weights to be saved`);
      const data = tf.io.concatenateArrayBuffers(
        Array.isArray(artifacts.weightData) ? artifacts.weightData : [artifacts.weightData],
      );
      writeArtifacts(dir, artifacts.modelTopology, { specs: artifacts.weightSpecs, data });
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
    async load() {
      const json = readJson(dir);
      const w = readNetworkWeights(dir);
      return {
        modelTopology: json.modelTopology,
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy ?? undefined,
        weightSpecs: w.specs,
        weightData: w.data,
      };
    },
  };
}
