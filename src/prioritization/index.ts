export { evaluateApplications, type EvaluationResult } from './evaluate-applications.js';
export { runPrioritization, evaluateOne, type RunOptions, type RunResult } from './run-prioritization.js';
export { startRecalcWorker, type WorkerOptions } from './recalc-worker.js';
export { ApplicationPriorityQueue, AutoPrioritizationService, WorkflowManager } from './workflow-manager.js';
export {
  getPriorityQueue,
  getWorkflowSuggestions,
  getApplicationAnalytics,
  markProcessed,
  processTriggers,
  onApplicationStatusChange,
} from './workflow-service.js';
