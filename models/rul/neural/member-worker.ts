/** Worker thread entry: trains the members it is sent (member-training.ts), one at a time. */
import { parentPort } from 'node:worker_threads';
import { trainMember, workerBackend, type MemberJob, type MemberMessage } from './member-training.ts';

const port = parentPort!;
let controller = new AbortController();

port.on('message', (m: { type: 'job'; job: MemberJob } | { type: 'stop' }) => {
  if (m.type === 'stop') return controller.abort();
  const { job } = m;
  controller = new AbortController();
  const post = (msg: MemberMessage) => port.postMessage(msg);
  workerBackend(job.backend)
    .then(() =>
      trainMember(job, controller.signal, (info) => post({ type: 'epoch', member: job.member, info })),
    )
    .then(
      (r) => post({ type: 'done', member: job.member, weights: r.weights, result: r.result }),
      (err: Error) => post({ type: 'error', member: job.member, message: err.stack ?? err.message }),
    );
});
