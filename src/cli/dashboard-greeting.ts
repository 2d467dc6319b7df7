import type { Config } from '../config.js';
import type { Database } from '../db/index.js';
import { deleteExpiredSessions, issueSignInToken, signInLink } from '../sessions/index.js';

/**
 * What `serve` prints for people: the dashboard's address and a one-time sign-in link (15
 * minutes, works once), so nobody has to copy the key by hand. Old sessions are swept here too.
 */
export async function dashboardGreeting(db: Database, config: Config): Promise<string> {
  await deleteExpiredSessions(db);
  const { token } = await issueSignInToken(db);
  return (
    `\nDashboard: ${config.publicBaseUrl}/\n` +
    `Sign in with this one-time link (valid 15 minutes): ${signInLink(config.publicBaseUrl, token)}\n` +
    `(a new link any time: npx hirepulse open)\n\n`
  );
}
