import { useState } from 'preact/hooks';

/** Copies text to the clipboard and says so; falls back to selecting the field. */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [done, setDone] = useState<'copied' | 'select' | null>(null);
  const copy = async (event: Event) => {
    try {
      await navigator.clipboard.writeText(text);
      setDone('copied');
    } catch {
      const input = (event.currentTarget as HTMLElement).parentElement?.querySelector('input');
      input?.select();
      setDone('select');
    }
    setTimeout(() => setDone(null), 2500);
  };
  return (
    <button type="button" class="secondary small" onClick={copy} aria-label={label}>
      {done === 'copied' ? 'Copied' : done === 'select' ? 'Press Ctrl+C' : 'Copy'}
    </button>
  );
}
