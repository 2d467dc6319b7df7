import type { Click } from '../types';
import { linkTypeInWords, reasonInWords, when } from '../words';

/** Every click in words: when, which link, person or machine, and why a machine. */
export function ClickTable({ clicks }: { clicks: Click[] }) {
  if (clicks.length === 0) return null;
  const newest = [...clicks].sort((a, b) => Date.parse(b.clicked_at) - Date.parse(a.clicked_at)).slice(0, 100);
  return (
    <div class="table-wrap">
      <table class="clicks">
        <caption class="sr-only">Clicks, newest first</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Link</th>
            <th scope="col">Who</th>
          </tr>
        </thead>
        <tbody>
          {newest.map((c) => (
            <tr key={c.id}>
              <td>{when(c.clicked_at)}</td>
              <td>{c.link_label || linkTypeInWords(c.link_type)}</td>
              <td class={c.is_bot ? 'machine' : 'person'}>
                {!c.is_bot
                  ? 'A person'
                  : c.reasons.includes('owner')
                    ? 'You, testing the link (not counted)'
                    : `Machine (not counted): ${c.reasons.map(reasonInWords).join('; ')}`}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
