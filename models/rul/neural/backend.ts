/**
 * TensorFlow.js backend selection: `@tensorflow/tfjs-node` (native TensorFlow) when it is installed
 * and loads, else the WASM backend (SIMD; threads only where the runtime offers them), else the
 * plain JS CPU backend. The choice is made once per process and recorded with every model.
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

let chosen: Promise<BackendName> | undefined;

async function tryNode(): Promise<boolean> {
  try {
    // optional accelerator: not a dependency (its install step downloads libtensorflow)
    const name = '@tensorflow/tfjs-node';
    await import(/* @vite-ignore */ name);
    return await tf.setBackend('tensorflow');
  } catch {
    return false;
  }
}

async function tryWasm(): Promise<boolean> {
  try {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const require = createRequire(import.meta.url);
    wasm.setWasmPaths(
      dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')) + '/',
    );
    return await tf.setBackend('wasm');
  } catch {
    return false;
  }
}

/**
 * Selects the fastest backend that loads (or the one named by LEADTIME_TF_BACKEND, for benchmarks
 * and tests of the fallback) and returns its name.
 */
export function selectBackend(
  prefer = process.env.LEADTIME_TF_BACKEND as BackendName | undefined,
): Promise<BackendName> {
  chosen ??= (async () => {
    const order: BackendName[] = prefer ? [prefer] : ['tensorflow', 'wasm', 'cpu'];
    for (const name of order) {
      const ok =
        name === 'tensorflow'
          ? await tryNode()
          : name === 'wasm'
            ? await tryWasm()
            : await tf.setBackend('cpu');
      if (ok) {
        await tf.ready();
        return tf.getBackend() as BackendName;
      }
    }
    await tf.setBackend('cpu');
    await tf.ready();
    return 'cpu';
  })();
  return chosen;
}

/** Switches backend explicitly (benchmarks compare them in one process). */
export async function useBackend(name: BackendName): Promise<boolean> {
  const ok =
    name === 'tensorflow' ? await tryNode() : name === 'wasm' ? await tryWasm() : await tf.setBackend('cpu');
  if (ok) {
    await tf.ready();
    chosen = Promise.resolve(name);
  }
  return ok;
}

/** Whether the WASM backend runs multi-threaded here (Node gives it one thread unless cross-origin isolation is emulated). */
export function wasmThreads(): boolean {
  return tf.getBackend() === 'wasm' && tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT');
}
