/** Public entry of tickets/: ticket policy, desk rules, ticket store with outbox, dispatcher, ticket-log export, backtest. */
export * from './policy/ticket-policy.ts';
export * from './evaluation.ts';
export * from './policy/tier-assessment.ts';
export * from './policy/working-time.ts';
export * from './ticket.ts';
export * from './policy/desk-rules.ts';
export * from './store/memory-ticket-book.ts';
export * from './store/ticket-store.ts';
export * from './store/duckdb-ticket-store.ts';
export * from './store/pg-ticket-store.ts';
export * from './store/open-ticket-store.ts';
export * from './delivery/signature.ts';
export * from './delivery/dispatcher.ts';
export * from './connectors/index.ts';
export * from './ticket-log-export.ts';
export * from './evaluations-from-histories.ts';
export * from './ticket-backtest.ts';
