/** The synthetic run-to-failure bearing fleet: plan, synthesise, write. */
export * from './bearing.ts';
export * from './config.ts';
export * from './fleet.ts';
export * from './write.ts';
export * from './publish.ts';
export * from './fleet-readers.ts';
