/** Triggers, the priority queue and the operations on them (the engine behind /api/analytics). */
export { evaluateApplications, lockApplicationsForEvaluation, type EvaluationResult, type FiredSummary } from './evaluate-applications.js';
export { runPrioritization, type RunOptions, type RunResult } from './run-prioritization.js';
export { evaluateOne } from './evaluate-one.js';
export { processTriggers } from './process-triggers.js';
export { getPriorityQueue, getQueueEntry, type PriorityQueuePage } from './get-priority-queue.js';
export { describeQueueItem, type QueueEntry } from './describe-queue-item.js';
export { getWorkflowSuggestions, type Suggestion, type WorkflowSuggestions } from './get-workflow-suggestions.js';
export { markItemProcessed, type ProcessedResult } from './mark-item-processed.js';
export { cancelOnTerminalStatus } from './cancel-on-terminal-status.js';
export { addToQueue } from './add-to-queue.js';
export { ApplicationPriorityQueue } from './facade/application-priority-queue.js';
export { AutoPrioritizationService } from './facade/auto-prioritization-service.js';
export { WorkflowManager } from './facade/workflow-manager.js';
