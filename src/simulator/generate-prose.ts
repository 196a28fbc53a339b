import { countTextTokens } from './count-tokens.ts';
import type { Random } from './deterministic-random.ts';

const subjects = [
  'the gateway', 'the request', 'each provider', 'the model', 'a careful engineer', 'the cache', 'the router',
  'every stream', 'the operator', 'the team', 'a retry policy', 'the budget', 'the audit log', 'the dashboard',
] as const;
const verbs = [
  'checks', 'records', 'forwards', 'measures', 'summarises', 'protects', 'balances', 'explains', 'compares',
  'validates', 'reports', 'retries', 'caches', 'routes',
] as const;
const objects = [
  'the latest answer', 'each token', 'the slow upstream', 'a small batch of documents', 'the usage totals',
  'the error rate', 'the fallback target', 'the weekly report', 'the personal data', 'the prompt prefix',
  'the response time', 'the daily budget', 'the cited sources', 'the first chunk',
] as const;
const endings = [
  'before the deadline', 'without any surprises', 'in a predictable way', 'for every tenant', 'as the load grows',
  'when the network is slow', 'with clear evidence', 'so that nothing is lost', 'at the edge', 'on every call',
] as const;
const openers = ['In short,', 'As expected,', 'Meanwhile,', 'In practice,', 'Overall,', 'Notably,'] as const;

const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/** One readable, English-like sentence. */
export const generateSentence = (random: Random): string => {
  const clause = `${random.pick(subjects)} ${random.pick(verbs)} ${random.pick(objects)} ${random.pick(endings)}`;
  return random.chance(0.25) ? `${random.pick(openers)} ${clause}.` : `${capitalise(clause)}.`;
};

/** Sentences until the text reaches about `targetTokens` tokens (at least one sentence). */
export const generateProse = (random: Random, targetTokens: number): string => {
  const sentences: string[] = [];
  let tokens = 0;
  do {
    const sentence = generateSentence(random);
    tokens += countTextTokens(` ${sentence}`);
    sentences.push(sentence);
  } while (tokens < targetTokens);
  return sentences.join(' ');
};
