/**
 * A real MQTT broker for tests and benchmarks: Mosquitto at 127.0.0.1:1883 when it answers,
 * otherwise an in-process Aedes broker (the real protocol over TCP) on a free loopback port.
 * `LEADTIME_MQTT_BROKER=aedes` forces Aedes.
 */
import { createServer, Socket, type AddressInfo } from 'node:net';

export interface TestBroker {
  url: string;
  kind: 'mosquitto' | 'aedes';
  close(): Promise<void>;
}

function answers(host: string, port: number, timeoutMs = 300): Promise<boolean> {
  return new Promise((resolve) => {
    const s = new Socket();
    const done = (ok: boolean): void => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(timeoutMs, () => done(false));
    s.once('error', () => done(false));
    s.connect(port, host, () => done(true));
  });
}

export async function startTestBroker(): Promise<TestBroker> {
  if (process.env.LEADTIME_MQTT_BROKER !== 'aedes' && (await answers('127.0.0.1', 1883))) {
    return { url: 'mqtt://127.0.0.1:1883', kind: 'mosquitto', close: async () => {} };
  }
  const { Aedes } = await import('aedes');
  const broker = await Aedes.createBroker();
  const server = createServer(broker.handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `mqtt://127.0.0.1:${port}`,
    kind: 'aedes',
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => broker.close(() => resolve()));
      }),
  };
}
