import type { Factor } from '../types';

/** A score out of 100 and the named parts it adds up from, in words. */
export function ScoreBlock({ title, score, factors }: { title: string; score: number; factors: Factor[] }) {
  return (
    <section class="score" aria-label={`${title} ${score} of 100`}>
      <h3>
        {title} <span class="value">{score}</span>
        <span class="muted"> / 100</span>
      </h3>
      <div class="meter" aria-hidden="true">
        <span style={{ width: `${score}%` }} />
      </div>
      <ul class="factors">
        {factors.map((f) => (
          <li key={f.name}>
            <span class="points">{f.points > 0 ? `+${f.points}` : f.points}</span> {f.detail}
          </li>
        ))}
      </ul>
    </section>
  );
}
