import { useState } from 'preact/hooks';
import { get, post } from '../api';
import { useLiveData } from '../live';
import type { Application } from '../types';
import { useAction } from '../use-action';
import { when } from '../words';
import { ErrorLine } from './feedback';

interface Booking {
  id: string;
  provider: 'calendly' | 'cal';
  invitee_name: string | null;
  invitee_email: string | null;
  event_name: string | null;
  starts_at: string | null;
  status: 'active' | 'canceled';
  received_at: string;
}

const PROVIDERS: Record<Booking['provider'], string> = { calendly: 'Calendly', cal: 'Cal.com' };

const loadUnmatched = async () => {
  const [bookings, applications] = await Promise.all([
    get<{ bookings: Booking[] }>('/api/bookings?unmatched=true&limit=20'),
    get<{ applications: Application[] }>('/api/applications?limit=100'),
  ]);
  return { bookings: bookings.bookings, applications: applications.applications };
};

/**
 * Bookings that came in from Calendly / Cal.com but matched no application (no tracking id came
 * back and the invitee's email is no application's contact): the person attaches each by hand,
 * with the same effect as a match (SPEC §9, docs/bookings.md). Renders nothing when none waits.
 */
export function UnmatchedBookings({ onAttached }: { onAttached: () => void }) {
  const { data, reload } = useLiveData(loadUnmatched, []);
  if (!data || data.bookings.length === 0) return null;
  return (
    <section aria-labelledby="unmatched-bookings-title">
      <h2 id="unmatched-bookings-title">Bookings to attach</h2>
      <p class="muted">These meetings were booked through your booking page, but hirepulse could not tell for which application. Pick it, and the booking counts as if it had matched.</p>
      <ul class="integrations">
        {data.bookings.map((b) => (
          <BookingItem
            key={b.id}
            booking={b}
            applications={data.applications}
            onAttached={() => {
              reload();
              onAttached();
            }}
          />
        ))}
      </ul>
    </section>
  );
}

function BookingItem({ booking, applications, onAttached }: { booking: Booking; applications: Application[]; onAttached: () => void }) {
  const [choice, setChoice] = useState('');
  const attach = useAction(async () => {
    await post(`/api/bookings/${booking.id}/attach`, { application_id: choice });
    onAttached();
  });
  const who = booking.invitee_name ?? booking.invitee_email ?? 'someone';
  return (
    <li>
      <strong>{booking.event_name ?? 'A meeting'}</strong> with {who}
      {booking.invitee_email && booking.invitee_name && <span class="muted"> ({booking.invitee_email})</span>}
      <p>
        {booking.status === 'canceled' ? 'Canceled; it was for ' : 'On '}
        {when(booking.starts_at)} <span class="muted">· via {PROVIDERS[booking.provider]}, received {when(booking.received_at)}</span>
      </p>
      <form
        class="buttons"
        onSubmit={(e) => {
          e.preventDefault();
          void attach.run();
        }}
      >
        <select aria-label={`Application for the meeting booked by ${who}`} value={choice} onChange={(e) => setChoice(e.currentTarget.value)} required>
          <option value="">Choose the application…</option>
          {applications.map((a) => (
            <option key={a.id} value={a.id}>
              {a.company} — {a.job_title}
            </option>
          ))}
        </select>{' '}
        <button type="submit" class="secondary small" disabled={attach.busy || choice === ''}>
          Attach
        </button>
      </form>
      <ErrorLine message={attach.error} />
    </li>
  );
}
