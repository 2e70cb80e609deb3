/** Public entry of simulation/: the DES kernel, the service model, experiments and queueing formulas. Imports only core/. */
export { EventCalendar } from './engine/event-calendar.ts';
export { PoolQueue } from './engine/pool-queue.ts';
export { LogHistogram } from './engine/histogram.ts';
export { ShiftRoster } from './engine/shift-roster.ts';
export { TicketTable } from './engine/ticket-slots.ts';
export { ServiceModel } from './engine/service-model.ts';
export { Scenario, loadScenario, parseScenario, type LoadedScenario } from './scenario/scenario.ts';
export { buildModel, checkScenario, TIME_UNIT } from './scenario/build-model.ts';
export { runReplication, type ReplicationResult } from './engine/replication.ts';
export { runExperiment, type ExperimentOptions } from './experiments/experiment.ts';
export type { ExperimentResult, PriorityResult, PoolResult, ClockResult } from './experiments/results.ts';
export { erlangC, erlangCMeanWait, erlangCServersFor } from './queueing/erlang.ts';
export { cobhamWaits } from './queueing/cobham.ts';
export { pollaczekKhinchineWait } from './queueing/pollaczek-khinchine.ts';
export {
  erlangA,
  erlangADistribution,
  erlangAAnsweredWithin,
  type ErlangAResult,
} from './queueing/erlang-a.ts';
export {
  erlangStaffing,
  evaluateAgents,
  type ErlangQuery,
  type ErlangAnswer,
} from './queueing/erlang-calculator.ts';
export {
  readTicketLog,
  parseTicketLog,
  mondayBefore,
  type TicketLog,
  type LoggedTicket,
  type TicketLogOptions,
} from './sources/ticket-log.ts';
export { timestampParser } from './sources/timestamp-format.ts';
export { fitArrivalProfile, type FittedProfile } from './sources/fit-profile.ts';
export { replayReports } from './experiments/experiment.ts';
export { runExperiments } from './experiments/experiment.ts';
export { SimulationWorkers } from './experiments/worker-pool.ts';
export type { ReplicationExecutor, Job as ReplicationJob } from './experiments/replication-executor.ts';
export { QueueExecutor, parseQueueUrl, DEFAULT_QUEUE_NAME } from './experiments/queue-executor.ts';
export { runQueueWorker, type QueueWorkerOptions } from './experiments/queue-worker.ts';
export {
  parseVariation,
  grid,
  applyValues,
  getPath,
  withPath,
  type Variation,
} from './scenario/scenario-path.ts';
export { comparePlans, type PlanDifference } from './experiments/compare.ts';
export { parseTarget, checkTarget, metricOf, type Target, type TargetCheck } from './experiments/targets.ts';
export { optimize, planCost, type OptimizeResult, type ExploredPoint } from './experiments/optimizer.ts';
export {
  runSweep,
  parseRatio,
  ratioAxis,
  axisOf,
  gridOf,
  type Axis,
  type SweepPoint,
} from './experiments/sweep.ts';
export { scheduledStaff, onDutyStaff } from './engine/shrinkage.ts';
export {
  readShiftTemplates,
  readRequirements,
  parseRequirements,
  templatesFrom,
  type ShiftTemplate,
} from './experiments/roster-input.ts';
export { solveRoster, rosterShifts, type RosterResult, type RosterShift } from './experiments/roster.ts';
export { requirementsFromScenario, type ScenarioRequirements } from './experiments/roster-requirements.ts';
export { resultWarnings, type ResultWarning, type WarningCode } from './experiments/result-warnings.ts';
export { resolveScenarioPath, scenarioPaths } from './scenario/path-resolution.ts';
export { resolveTarget, scenarioTargets, targetMetrics } from './experiments/targets.ts';
export { poolStaff, withPoolStaff } from './scenario/pool-staff.ts';
