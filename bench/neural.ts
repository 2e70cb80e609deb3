/**
 * Neural RUL training speed on this machine (`npx tsx bench/neural.ts`): training throughput in
 * windows per second per epoch for each TensorFlow.js backend that loads here (WASM, CPU; native
 * TensorFlow when @tensorflow/tfjs-node is installed), on FD001 windows (30 cycles x the informative
 * sensors), and the time the default backend takes to reach given validation RMSEs.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CMAPSS_SENSORS, CMAPSS_SETTINGS, readCmapss, RegimeNormalizer } from '../models/index.ts';
import { buildNetwork, type Architecture } from '../models/rul/neural/architectures.ts';
import { useBackend, type BackendName } from '../models/rul/neural/backend.ts';
import { trainMembers, type MemberJob } from '../models/rul/neural/member-training.ts';
import { trainNetwork } from '../models/rul/neural/train.ts';
import { trainingWindows } from '../models/rul/neural/windows.ts';

const file = join(import.meta.dirname, '../../shared/data/cmapss/train_FD001.txt');

export async function benchNeural(): Promise<void> {
  if (!existsSync(file)) {
    console.log(`skipped: ${file} not found`);
    return;
  }
  const trajs = (await readCmapss(file, true)).trajectories;
  const normalizer = RegimeNormalizer.fit(trajs, CMAPSS_SETTINGS, CMAPSS_SENSORS);
  const sensors = CMAPSS_SENSORS.filter((_, j) => normalizer.state.sd.every((r) => r[j] > 0));
  const norm = trajs.map((t) => normalizer.transform(t));
  const train = trainingWindows(norm.slice(20), sensors, 30, 125);
  const val = trainingWindows(norm.slice(0, 20), sensors, 30, 125);
  const input = (_arch: Architecture, set: typeof train) => ({ x: set.x, shape: [30, sensors.length] });
  console.log(
    `FD001: ${train.n} training windows of 30 x ${sensors.length}, ${val.n} validation windows (20 engines)`,
  );
  for (const backend of ['tensorflow', 'wasm', 'cpu'] as BackendName[]) {
    if (!(await useBackend(backend))) {
      console.log(`${backend.padEnd(10)} not available here`);
      continue;
    }
    for (const arch of ['mlp', 'cnn'] as Architecture[]) {
      const t = input(arch, train),
        v = input(arch, val);
      const net = buildNetwork(arch, t.shape, { seed: 1 });
      const epochs = backend === 'cpu' ? 1 : 3;
      const r = await trainNetwork(net, t.x, train.y, t.shape, v.x, val.y, {
        epochs,
        batchSize: 256,
        patience: 99,
        seed: 1,
      });
      console.log(
        `${backend.padEnd(10)} ${arch}: ${Math.round((train.n * r.epochsRun) / r.seconds).toLocaleString('en')} windows/s per epoch (${(r.seconds / r.epochsRun).toFixed(2)} s an epoch)`,
      );
      net.dispose();
    }
  }
  // the ensemble's members on worker threads (one per core) against one after another in this thread
  await useBackend('wasm');
  for (const arch of ['mlp', 'cnn'] as Architecture[]) {
    const t = input(arch, train);
    const epochs = arch === 'mlp' ? 3 : 1;
    const jobs: MemberJob[] = [0, 1].map((member) => ({
      member,
      arch,
      shape: t.shape,
      network: { seed: 1 + 100 * member, learningRate: 1e-3, l2: 1e-3, dropout: 0.2 },
      backend: 'wasm',
      x: t.x,
      y: train.y,
      xVal: val.x,
      yVal: val.y,
      train: { epochs, batchSize: 256, patience: 99 },
    }));
    const rate: Record<number, number> = {};
    for (const workers of [1, 2]) {
      const t0 = performance.now();
      await trainMembers(jobs, { workers });
      rate[workers] = (jobs.length * epochs * train.n) / ((performance.now() - t0) / 1000);
    }
    console.log(
      `wasm ${arch} ensemble of 2: ${Math.round(rate[2]).toLocaleString('en')} windows/s on 2 worker threads vs ${Math.round(rate[1]).toLocaleString('en')} in one thread (x${(rate[2] / rate[1]).toFixed(2)})`,
    );
  }
  for (const arch of ['mlp', 'cnn'] as Architecture[]) {
    const t = input(arch, train),
      v = input(arch, val);
    const targets = [25, 20, 17, 15];
    const reached = new Map<number, string>();
    const net = buildNetwork(arch, t.shape, { seed: 1 });
    await trainNetwork(net, t.x, train.y, t.shape, v.x, val.y, {
      epochs: 60,
      batchSize: 256,
      patience: 10,
      seed: 1,
      onEpoch: (e) => {
        for (const g of targets)
          if (e.valRmse <= g && !reached.has(g))
            reached.set(g, `${e.seconds.toFixed(1)} s (epoch ${e.epoch})`);
      },
    });
    console.log(
      `wasm ${arch} time to validation RMSE: ${targets.map((g) => `<=${g}: ${reached.get(g) ?? 'not reached'}`).join(', ')}`,
    );
    net.dispose();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await benchNeural();
