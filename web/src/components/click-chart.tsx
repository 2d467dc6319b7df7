import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import type { Click, Link } from '../types';
import { linkTypeInWords } from '../words';

const HUMAN = '#1a7f37';
const MACHINE = '#9a4d00';

function linkName(link: Pick<Link, 'link_type' | 'label'>) {
  return link.label ? `${linkTypeInWords(link.link_type)}: ${link.label}` : linkTypeInWords(link.link_type);
}

/**
 * The click timeline: one row per link, a filled green dot for a person, a hollow brown ring
 * for a machine. The table under it says the same in words (and why each machine was judged so).
 */
export function ClickChart({ clicks, links }: { clicks: Click[]; links: Link[] }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el || clicks.length === 0) return;
    const rows = links.map((l) => l.id);
    const names = links.map((l) => linkName(l));
    const sorted = [...clicks].sort((a, b) => Date.parse(a.clicked_at) - Date.parse(b.clicked_at));
    const xs = sorted.map((c) => Date.parse(c.clicked_at) / 1000);
    const row = (c: Click) => Math.max(0, rows.indexOf(c.link_id));
    const human = sorted.map((c) => (c.is_bot ? null : row(c)));
    const machine = sorted.map((c) => (c.is_bot ? row(c) : null));
    const width = () => Math.max(280, el.clientWidth);
    const plot = new uPlot(
      {
        width: width(),
        height: 90 + 36 * Math.max(1, links.length),
        scales: { x: { time: true }, y: { range: [-0.6, Math.max(0, links.length - 1) + 0.6] } },
        axes: [
          { stroke: '#333' },
          {
            stroke: '#333',
            size: 96,
            splits: () => rows.map((_, i) => i),
            values: (_u, splits) => splits.map((v) => names[v] ?? ''),
          },
        ],
        series: [
          { label: 'time' },
          { label: 'Person', stroke: HUMAN, paths: () => null, points: { show: true, size: 11, fill: HUMAN, stroke: HUMAN } },
          { label: 'Not counted', stroke: MACHINE, paths: () => null, points: { show: true, size: 11, width: 2, fill: '#fff', stroke: MACHINE } },
        ],
        legend: { show: true, live: false },
        cursor: { show: false },
      },
      [xs, human, machine] as uPlot.AlignedData,
      el,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: width(), height: plot.height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [clicks, links]);

  if (clicks.length === 0) return <p class="muted">No clicks yet. Once someone opens one of the links below, each click shows here.</p>;
  return (
    <figure class="chart">
      <div ref={box} role="img" aria-label={`Timeline of ${clicks.length} clicks: people in green, machines and your own tests in brown`} />
      <figcaption class="muted">Green dots: a person. Brown rings: a machine, or you testing a link (never counted). Every click is listed below with the reason.</figcaption>
    </figure>
  );
}

export { linkName };
