export { createSession, findSession, deleteSession, deleteExpiredSessions, SESSION_TTL_MS, type Session } from './session-store.js';
export { issueSignInToken, redeemSignInToken, signInLink, SIGN_IN_TOKEN_TTL_MS } from './sign-in-tokens.js';
