// Upstream's DefaultNormalizeScore: scale to 0..max by the highest score; reversed, fewer is better.
import type { NodeScore } from '../framework/interface.ts';

export function defaultNormalizeScore(max: number, reverse: boolean, scores: NodeScore[]): void {
  let highest = 0;
  for (const s of scores) if (s.score > highest) highest = s.score;
  if (highest === 0) {
    if (reverse) for (const s of scores) s.score = max;
    return;
  }
  for (const s of scores) {
    let v = Math.trunc((max * s.score) / highest);
    if (reverse) v = max - v;
    s.score = v;
  }
}
