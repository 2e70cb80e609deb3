/** The BullMQ queue replications go to unless `--queue-name` says otherwise (kept apart so the CLI's help needs no bullmq). */
export const DEFAULT_QUEUE_NAME = 'leadtime-replications';
