/** Public entry of simulation/: the DES kernel, the service model, experiments and queueing formulas. Imports only core/. */
export { EventCalendar } from './calendar.ts';
export { PoolQueue } from './pool-queue.ts';
export { LogHistogram } from './histogram.ts';
export { ShiftRoster } from './shift-roster.ts';
export { TicketTable } from './ticket.ts';
export { ServiceModel } from './service-model.ts';
export { PRIORITIES, type Priority } from './priority.ts';
export { Scenario, loadScenario, parseScenario, type LoadedScenario } from './scenario.ts';
export { buildModel, checkScenario, TIME_UNIT } from './build-model.ts';
export { runReplication, type ReplicationResult } from './replication.ts';
export { runExperiment, type ExperimentOptions } from './experiment.ts';
export type { ExperimentResult, PriorityResult, PoolResult, ClockResult } from './results.ts';
export { confidenceInterval, type Interval } from './confidence-interval.ts';
export { studentTQuantile, studentTCdf } from './student-t.ts';
export { erlangC, erlangCMeanWait, erlangCServersFor } from './erlang.ts';
export { cobhamWaits } from './cobham.ts';
export { pollaczekKhinchineWait } from './pollaczek-khinchine.ts';
export { erlangA, erlangADistribution, erlangAAnsweredWithin, type ErlangAResult } from './erlang-a.ts';
export { erlangStaffing, evaluateAgents, type ErlangQuery, type ErlangAnswer } from './erlang-calculator.ts';
export {
  readTicketLog,
  parseTicketLog,
  mondayBefore,
  type TicketLog,
  type LoggedTicket,
  type TicketLogOptions,
} from './ticket-log.ts';
export { timestampParser } from './timestamp-format.ts';
export { fitArrivalProfile, type FittedProfile } from './fit-profile.ts';
export { replayReports } from './experiment.ts';
export { runExperiments } from './experiment.ts';
export { SimulationWorkers } from './worker-pool.ts';
export { parseVariation, grid, applyValues, getPath, withPath, type Variation } from './scenario-path.ts';
export { comparePlans, type PlanDifference } from './compare.ts';
export { parseTarget, checkTarget, metricOf, type Target, type TargetCheck } from './targets.ts';
export { optimize, planCost, type OptimizeResult, type ExploredPoint } from './optimizer.ts';
export { runSweep, parseRatio, ratioAxis, axisOf, gridOf, type Axis, type SweepPoint } from './sweep.ts';
export {
  slaChart,
  waitChart,
  timeSeriesChart,
  sweepChart,
  frontierChart,
  sweepAsExplored,
  differenceChart,
  type Spec,
} from './report-charts.ts';
export { scheduledStaff, onDutyStaff } from './shrinkage.ts';
export {
  readShiftTemplates,
  readRequirements,
  parseRequirements,
  templatesFrom,
  type ShiftTemplate,
} from './experiments/roster-input.ts';
export { solveRoster, rosterShifts, type RosterResult, type RosterShift } from './experiments/roster.ts';
export { requirementsFromScenario, type ScenarioRequirements } from './experiments/roster-requirements.ts';
