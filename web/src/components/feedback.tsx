/** Loading and error lines every page shows the same way. */
export const Loading = () => (
  <p class="muted" role="status">
    Loading…
  </p>
);

export const ErrorLine = ({ message }: { message: string | undefined }) =>
  message ? (
    <p class="error" role="alert">
      {message}
    </p>
  ) : null;
