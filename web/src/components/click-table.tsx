import type { Click } from '../types';
import { deviceInWords, linkTypeInWords, networkInWords, reasonInWords, when } from '../words';

/** Every click in words: when, which link, device and network, person or machine, and why a machine (SPEC §10). */
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
            <th scope="col">Device</th>
            <th scope="col">Network</th>
            <th scope="col">Who</th>
          </tr>
        </thead>
        <tbody>
          {newest.map((c) => (
            <tr key={c.id}>
              <td title={c.clicked_at_local ? `${c.clicked_at} UTC · ${c.clicked_at_local} ${c.timezone ?? ''}` : c.clicked_at}>{when(c.clicked_at)}</td>
              <td>{c.link_label || linkTypeInWords(c.link_type)}</td>
              <td>{deviceInWords(c.device)}</td>
              <td>{networkInWords(c.network)}</td>
              <td class={c.is_bot ? 'machine' : 'person'}>
                {!c.is_bot
                  ? c.verdict === 'doubtful'
                    ? 'A person, from a cloud network (VPN or remote desktop?): counted, weighted down'
                    : 'A person'
                  : c.reasons.includes('owner')
                    ? 'You, testing the link (not counted)'
                    : `Machine (not counted): ${c.reasons.map(reasonInWords).join('; ')}`}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="attribution">
        Networks from the IP-to-ASN data of <a href="https://db-ip.com">IP Geolocation by DB-IP</a>, RouteViews and the five RIRs (CC BY 4.0).
      </p>
    </div>
  );
}
