/**
 * The model registry: each trained model is a folder `<home>/models/<name>/v<N>/` holding
 * `model.json` (the fitted state; neural families keep each network beside it in the TensorFlow.js
 * format, `net-<m>/model.json` + `weights.bin`) and `manifest.json` (family, parameters, selected features and
 * their normalisation, training-data fingerprint, metrics, code version, created time). Versions
 * count up; `name@N` picks one, `name` the latest. Loading a model rebuilds it from its state, so
 * a reloaded model predicts exactly what the saved one did.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { codeVersion, InputError } from '../core/index.ts';
import type { Trajectory } from './data/trajectory.ts';
import { CalibratedModel, type CalibratedState } from './rul/calibrated-model.ts';
import { rulFamily } from './rul/families.ts';

export interface ModelManifest {
  name: string;
  version: number;
  family: string;
  parameters: unknown;
  features: { channels: string[]; settings: string[]; selected?: string[] };
  trainingData: { source: string; assets: number; rows: number; fingerprint: string };
  metrics?: Record<string, unknown>;
  codeVersion: string;
  created: string;
}

/** sha256 over assets, times and values: the same data gives the same fingerprint. */
export function fingerprint(trajs: Trajectory[]): string {
  const h = createHash('sha256');
  for (const tr of trajs) {
    h.update(tr.asset);
    h.update(Buffer.from(tr.t.buffer, tr.t.byteOffset, tr.t.byteLength));
    for (const k of Object.keys(tr.columns).sort()) {
      const c = tr.columns[k];
      h.update(k);
      h.update(Buffer.from(c.buffer, c.byteOffset, c.byteLength));
    }
    h.update(String(tr.failureT ?? ''));
  }
  return h.digest('hex');
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export class ModelRegistry {
  constructor(readonly root: string) {}

  static inHome(home: string): ModelRegistry {
    return new ModelRegistry(join(home, 'models'));
  }

  versions(name: string): number[] {
    const dir = join(this.root, name);
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .map((d) => /^v(\d+)$/.exec(d)?.[1])
      .filter((v): v is string => v !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
  }

  save(
    name: string,
    model: CalibratedModel,
    info: Omit<ModelManifest, 'name' | 'version' | 'family' | 'codeVersion' | 'created'>,
  ): ModelManifest {
    if (!NAME.test(name)) throw new InputError(`model name "${name}": use letters, digits, '.', '_' or '-'`);
    const version = (this.versions(name).at(-1) ?? 0) + 1;
    const dir = join(this.root, name, `v${version}`);
    mkdirSync(dir, { recursive: true });
    const manifest: ModelManifest = {
      name,
      version,
      family: model.family,
      ...info,
      codeVersion: codeVersion(),
      created: new Date().toISOString(),
    };
    const family = rulFamily(model.family);
    const fitted = family.writeFiles ? family.writeFiles(model.state.model as never, dir) : model.state.model;
    writeFileSync(join(dir, 'model.json'), JSON.stringify({ ...model.state, model: fitted }));
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
    return manifest;
  }

  /** `name` (latest) or `name@N`. */
  resolve(ref: string): { name: string; version: number; dir: string } {
    const [name, v] = ref.split('@');
    const versions = this.versions(name);
    if (versions.length === 0)
      throw new InputError(`no model named "${name}" in ${this.root} (see: leadtime models list)`);
    const version = v === undefined ? versions[versions.length - 1] : Number(v.replace(/^v/, ''));
    if (!versions.includes(version))
      throw new InputError(`model "${name}" has no version ${v} (has ${versions.join(', ')})`);
    return { name, version, dir: join(this.root, name, `v${version}`) };
  }

  manifest(ref: string): ModelManifest {
    return JSON.parse(readFileSync(join(this.resolve(ref).dir, 'manifest.json'), 'utf8')) as ModelManifest;
  }

  load(ref: string): { model: CalibratedModel; manifest: ModelManifest } {
    const { dir } = this.resolve(ref);
    const manifest = this.manifest(ref);
    const state = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as CalibratedState;
    const family = rulFamily(state.family);
    if (family.readFiles) state.model = family.readFiles(state.model, dir);
    return { model: CalibratedModel.load(family, state), manifest };
  }

  list(): ModelManifest[] {
    if (!existsSync(this.root)) return [];
    return readdirSync(this.root)
      .filter((n) => this.versions(n).length > 0)
      .flatMap((n) => this.versions(n).map((v) => this.manifest(`${n}@${v}`)));
  }
}
