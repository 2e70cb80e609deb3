/** Event kinds on the calendar, with what their operands (a, b) carry. */
export const ARRIVAL = 0; // a: arrival source index
export const SERVICE_END = 1; // a: ticket slot, b: service token
export const ESCALATE = 2; // a: ticket slot, b: service token
export const RAISE = 3; // a: ticket slot, b: queue token
export const SHIFT_CHANGE = 4; // a: pool index
export const WARMUP_END = 5;
export const SERIES_TICK = 7; // end of a series bin: snapshot the pools
export const ABANDON = 6; // a: ticket slot, b: service token when it joined the line
export const GROWTH_CHECK = 8; // one period before the horizon: snapshot open tickets and queues
