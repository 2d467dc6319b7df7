import { LINK_TYPES, linkTypeInWords } from '../words';

export interface LinkDraft {
  link_type: string;
  target_url: string;
  label: string;
  /** datetime-local value (the browser's zone), '' for "when I applied". */
  sent_at?: string;
}

export const emptyLink = (type = 'resume'): LinkDraft => ({ link_type: type, target_url: '', label: '', sent_at: '' });

/** Type, address and optional label of one link (the Add page shows several). */
export function LinkFields({ value, onInput, idPrefix }: { value: LinkDraft; onInput: (v: LinkDraft) => void; idPrefix: string }) {
  return (
    <div class="link-fields">
      <label for={`${idPrefix}-type`}>
        Kind
        <select id={`${idPrefix}-type`} value={value.link_type} onChange={(e) => onInput({ ...value, link_type: e.currentTarget.value })}>
          {LINK_TYPES.map((t) => (
            <option key={t} value={t}>
              {linkTypeInWords(t)}
            </option>
          ))}
        </select>
      </label>
      <label for={`${idPrefix}-url`}>
        Address (https://…)
        <input
          id={`${idPrefix}-url`}
          type="url"
          inputMode="url"
          placeholder="https://…"
          value={value.target_url}
          onInput={(e) => onInput({ ...value, target_url: e.currentTarget.value })}
        />
      </label>
      <label for={`${idPrefix}-label`}>
        Label (optional)
        <input id={`${idPrefix}-label`} type="text" maxLength={200} value={value.label} onInput={(e) => onInput({ ...value, label: e.currentTarget.value })} />
      </label>
      <label for={`${idPrefix}-sent`}>
        Email sent (optional; otherwise when you applied)
        <input id={`${idPrefix}-sent`} type="datetime-local" value={value.sent_at ?? ''} onInput={(e) => onInput({ ...value, sent_at: e.currentTarget.value })} />
      </label>
    </div>
  );
}
