/** Public entry of models/tickets/: ticket policy, desk rules, ticket store with outbox, dispatcher, backtest. */
export * from './policy.ts';
export * from './evaluation.ts';
export * from './assess.ts';
export * from './working-time.ts';
export * from './ticket.ts';
export * from './desk.ts';
export * from './book.ts';
export * from './store.ts';
export * from './signature.ts';
export * from './dispatcher.ts';
export * from './export.ts';
export * from './evaluate.ts';
export * from './backtest.ts';
