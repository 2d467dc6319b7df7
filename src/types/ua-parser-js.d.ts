/** The part of ua-parser-js 1.x (MIT; 2.x is AGPL and must not be used) that we call. */
declare module 'ua-parser-js' {
  interface UAResult {
    browser: { name?: string; version?: string };
    device: { type?: string; vendor?: string; model?: string };
    os: { name?: string; version?: string };
  }
  const UAParser: {
    new (ua?: string): { getResult(): UAResult };
    (ua?: string): UAResult;
  };
  export default UAParser;
}
