export { startSimulator } from './start-simulator.ts';
export { runSimulatorCli } from './run-simulator-cli.ts';
export { FaultController } from './fault-controller.ts';
export { faultHeader, faultNames, isFaultName, type FaultName, type FaultRule } from './fault-rule.ts';
export { latencyHeader, parseLatencyHeader, type LatencySettings } from './latency-model.ts';
export type { RunningSimulator, SimulatorOptions } from './simulator-options.ts';
export type { SimulatorStats } from './simulator-stats.ts';
export type { RateLimitSettings } from './rate-limit-window.ts';
