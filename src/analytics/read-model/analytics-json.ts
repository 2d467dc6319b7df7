import type { ApplicationAnalytics } from '../types.js';

/** The analytics as the API shows them (SPEC §4 field names). */
export function analyticsToJson(applicationId: string, a: ApplicationAnalytics) {
  return {
    application_id: applicationId,
    total_clicks: a.totalClicks,
    human_clicks: a.humanClicks,
    bot_clicks: a.botClicks,
    unique_visitors: a.uniqueVisitors,
    distinct_links: a.distinctLinks,
    click_sequence: a.clickSequence,
    first_click_at: a.firstClickAt?.toISOString() ?? null,
    last_click_at: a.lastClickAt?.toISOString() ?? null,
    hours_to_first_click: a.hoursToFirstClick,
    weekend_clicks: a.weekendClicks,
    business_hours_clicks: a.businessHoursClicks,
    calendly_clicked: a.calendlyClicked,
    engagement_score: a.engagementScore,
    intent_score: a.intentScore,
    health_score: a.healthScore,
    predicted_outcome: a.predictedOutcome,
    outcome_probability: a.outcomeProbability,
    factors: a.factors,
    computed_at: a.computedAt.toISOString(),
  };
}
