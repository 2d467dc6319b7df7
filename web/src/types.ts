/** Shapes of the /api answers the dashboard reads (the subset it uses). */
export interface QueueItem {
  application_id: string;
  priority_score: number;
  priority: string | null;
  job_title: string;
  company: string;
  status: string;
  engagement_score: number | null;
  intent_score: number | null;
  predicted_outcome: string | null;
  action_type: string | null;
  action: string | null;
  deadline: string | null;
  overdue: boolean;
  recommended_action: string;
  flags?: Flag[];
}

export interface Flag {
  kind: 'review' | 'personal_interest';
  trigger_type: string;
  label: string;
}

export interface Draft {
  id: string;
  application_id: string;
  status: 'draft' | 'approved' | 'sent' | 'failed' | 'unknown' | 'discarded' | 'withheld';
  withheld_reason: string | null;
  requested_by: 'rule' | 'person';
  trigger_type: string | null;
  to_name: string | null;
  to_email: string | null;
  subject: string;
  body: string;
  created_at: string;
  sent_at: string | null;
  delivery: { state: string; attempts: number; last_error: string | null; next_attempt_at: string | null } | null;
  mailto: string | null;
  eml_url: string | null;
  warnings?: string[];
}

export interface Stats {
  total_in_queue: number;
  high_priority: number;
  overdue_actions: number;
  avg_processing_time_seconds: number | null;
}

export interface Application {
  id: string;
  company: string;
  job_title: string;
  status: string;
  applied_at: string;
  contact_name: string | null;
  contact_email: string | null;
  job_url: string | null;
  timezone: string | null;
  notes: string | null;
  scores: { engagement_score: number; intent_score: number; health_score: number; predicted_outcome: string } | null;
}

export interface Link {
  id: string;
  tracking_id: string;
  tracking_url: string;
  link_type: string;
  label: string | null;
  target_url: string;
  disabled?: boolean;
}

export interface Factor {
  name: string;
  points: number;
  detail: string;
}

export interface Analytics {
  total_clicks: number;
  human_clicks: number;
  bot_clicks: number;
  unique_visitors: number;
  click_sequence: string[];
  first_click_at: string | null;
  hours_to_first_click: number | null;
  engagement_score: number;
  intent_score: number;
  health_score: number;
  predicted_outcome: string;
  outcome_probability: number;
  factors: { engagement: Factor[]; intent: Factor[]; health: Factor[]; outcome: Factor[] };
}

export interface Suggestion {
  type: string;
  priority: string;
  action: string;
  deadline: string | null;
  recommended_action: string;
  reason: string;
  source: 'trigger' | 'advice';
}

export interface Suggestions {
  application: Application;
  analytics: Analytics;
  suggestions: Suggestion[];
  queue_item: QueueItem | null;
}

export interface Click {
  id: string;
  clicked_at: string;
  clicked_at_local?: string;
  timezone?: string;
  link_id: string;
  link_type: string;
  link_label: string;
  source: string;
  device?: { class: string; browser: string | null } | null;
  network?: { asn: number; label: string | null; kind: string | null } | null;
  verdict?: 'human' | 'doubtful' | 'bot';
  is_bot: boolean;
  reasons: string[];
}

export interface AuditEntry {
  id: number;
  occurred_at: string;
  actor: string;
  decision: string;
  rule: string;
  inputs: Record<string, unknown>;
  outcome: Record<string, unknown>;
}
