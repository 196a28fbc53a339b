/** USD rounded to cents, as the dashboard shows it; `+ 0` turns a rounded −0 into 0. */
export const roundToCents = (usd: number): number => Math.round(usd * 100) / 100 + 0;
