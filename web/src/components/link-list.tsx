import { useState } from 'preact/hooks';
import { post } from '../api';
import type { Link } from '../types';
import { useAction } from '../use-action';
import { CopyButton } from './copy-button';
import { ErrorLine } from './feedback';
import { LinkFields, emptyLink, type LinkDraft } from './link-fields';
import { linkName } from './click-chart';

/** The tracked links with copyable addresses, and a form to add one more. */
export function LinkList({ applicationId, links, onChange }: { applicationId: string; links: Link[]; onChange: () => void }) {
  const [draft, setDraft] = useState<LinkDraft>(emptyLink('portfolio'));
  const addLink = useAction(async () => {
    await post(`/api/applications/${applicationId}/links`, linkBody(draft));
    setDraft(emptyLink('other'));
    onChange();
  });
  const add = (event: Event) => {
    event.preventDefault();
    void addLink.run();
  };
  return (
    <>
      {links.length === 0 ? (
        <p class="muted">No links yet. Add the pages you share (resume, portfolio…) and put their tracked addresses in your email.</p>
      ) : (
        <ul class="links">
          {links.map((l) => (
            <li key={l.id}>
              <span class="link-name">{linkName(l)}</span>
              <span class="muted target">→ {l.target_url}</span>
              <span class="copy-row">
                <input type="text" readOnly value={l.tracking_url} aria-label={`Tracked address for ${linkName(l)}`} onFocus={(e) => e.currentTarget.select()} />
                <CopyButton text={l.tracking_url} label={`Copy the tracked address for ${linkName(l)}`} />
                <a class="button secondary small" href={l.tracking_url} target="_blank" rel="noopener" title="Opens the link; your own clicks are never counted">
                  Test
                </a>
              </span>
            </li>
          ))}
        </ul>
      )}
      <form class="add-link" onSubmit={add}>
        <fieldset>
          <legend>Add a link</legend>
          <LinkFields value={draft} onInput={setDraft} idPrefix="more" />
          <ErrorLine message={addLink.error} />
          <button type="submit" disabled={addLink.busy || draft.target_url.trim() === ''}>
            Add link
          </button>
        </fieldset>
      </form>
    </>
  );
}

export function linkBody(draft: LinkDraft) {
  const sent = draft.sent_at ? new Date(draft.sent_at) : null; // datetime-local: the browser's zone
  return {
    link_type: draft.link_type,
    target_url: draft.target_url.trim(),
    ...(draft.label.trim() ? { label: draft.label.trim() } : {}),
    ...(sent && !Number.isNaN(sent.getTime()) ? { sent_at: sent.toISOString() } : {}),
  };
}
