/** Questions worth asking, from where the job was posted and what the role is (pure). */
const ATS_HOSTS: [RegExp, string][] = [
  [/(^|\.)greenhouse\.io$/, 'Greenhouse'],
  [/(^|\.)lever\.co$/, 'Lever'],
  [/(^|\.)myworkdayjobs\.com$|(^|\.)workday\.com$/, 'Workday'],
  [/(^|\.)ashbyhq\.com$/, 'Ashby'],
  [/(^|\.)smartrecruiters\.com$/, 'SmartRecruiters'],
  [/(^|\.)workable\.com$/, 'Workable'],
  [/(^|\.)linkedin\.com$/, 'LinkedIn'],
  [/(^|\.)indeed\.[a-z.]+$/, 'Indeed'],
  [/(^|\.)wellfound\.com$|(^|\.)angel\.co$/, 'Wellfound'],
];

const ROLE_QUESTIONS: [RegExp, string[]][] = [
  [/\b(back ?end|platform|infrastructure|sre|site reliability|devops|cloud)\b/i, [
    'What does on-call look like, and how often does the team get paged?',
    'How do changes reach production, and how long does a deploy take?',
    'Which part of the system worries the team most as it grows?',
  ]],
  [/\b(front ?end|ui|web|mobile|ios|android)\b/i, [
    'Is there a design system, and who looks after it?',
    'How does the team test accessibility and performance before a release?',
    'How do designers and engineers work together day to day?',
  ]],
  [/\b(data|analytics|machine learning|ml|ai)\b/i, [
    'Where does the data come from, and how is its quality checked?',
    'Which decisions in the company rely on the work of this team?',
    'What does the path from an experiment to production look like?',
  ]],
  [/\b(security|appsec|infosec)\b/i, [
    'What does the threat model look like, and who owns it?',
    'How are security findings prioritised against feature work?',
    'What happened in the last incident, and what changed afterwards?',
  ]],
  [/\b(manager|head|director|lead|staff|principal)\b/i, [
    'How many people would I work with most closely, and how are decisions made?',
    'What would success in this role look like after six months?',
    'Where does the team need the most help right now?',
  ]],
];

const GENERAL = [
  'What would my first three months look like?',
  'What do you enjoy most about working here?',
  'What are the next steps after this conversation?',
];

export function suggestedQuestions(jobUrl: string | null, jobTitle: string, company: string): string[] {
  const questions: string[] = [];
  let host: string | null = null;
  try {
    host = jobUrl ? new URL(jobUrl).hostname.toLowerCase() : null;
  } catch {
    host = null;
  }
  const board = host ? ATS_HOSTS.find(([re]) => re.test(host!))?.[1] : undefined;
  if (board) {
    questions.push(`The role was posted on ${board}: how many stages follow this conversation, and who will I meet in them?`);
  } else if (host) {
    questions.push(`The role is on ${company}'s own site (${host}): which team wrote the posting, and is it the team I would join?`);
  }
  const matched = ROLE_QUESTIONS.find(([re]) => re.test(jobTitle));
  questions.push(...(matched ? matched[1] : []), ...GENERAL);
  return questions;
}
