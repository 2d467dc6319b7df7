import { useState } from 'preact/hooks';
import { post } from '../api';
import { useAction } from '../use-action';
import { ErrorLine } from './feedback';

interface ImportReport {
  imported: number;
  rows: { line: number; ok: boolean; id?: string; company?: string; job_title?: string; error?: string }[];
}

/** CSV import through POST /api/applications/import, with what happened to every row. */
export function CsvImport() {
  const [report, setReport] = useState<ImportReport>();
  const importFile = useAction(async (file: File | undefined) => {
    setReport(undefined);
    if (!file) throw new Error('Choose a CSV file first.');
    setReport(await post<ImportReport>('/api/applications/import', { csv: await file.text() }));
  });
  const upload = (event: Event) => {
    event.preventDefault();
    const input = (event.currentTarget as HTMLFormElement).querySelector<HTMLInputElement>('input[type=file]');
    void importFile.run(input?.files?.[0]);
  };
  return (
    <section aria-labelledby="csv-title" class="csv">
      <h2 id="csv-title">Import from a CSV file</h2>
      <p class="muted">
        A header row, then one application per row. Columns: <code>company</code>, <code>job_title</code> (both required), and any of{' '}
        <code>status</code>, <code>applied_at</code>, <code>contact_name</code>, <code>contact_email</code>, <code>job_url</code>, <code>timezone</code>,{' '}
        <code>notes</code>. Good rows are imported; each refused row is listed with the reason.
      </p>
      <form onSubmit={upload}>
        <label>
          CSV file
          <input type="file" accept=".csv,text/csv" />
        </label>
        <button type="submit" disabled={importFile.busy}>
          {importFile.busy ? 'Importing…' : 'Import'}
        </button>
      </form>
      <ErrorLine message={importFile.error} />
      {report && (
        <div role="status">
          <p>
            Imported {report.imported} of {report.rows.length} rows.
          </p>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Line</th>
                  <th scope="col">Result</th>
                </tr>
              </thead>
              <tbody>
                {report.rows.map((r) => (
                  <tr key={r.line}>
                    <td>{r.line}</td>
                    <td class={r.ok ? 'person' : 'machine'}>
                      {r.ok ? (
                        <a href={`/applications/${r.id}`}>
                          Imported: {r.company} · {r.job_title}
                        </a>
                      ) : (
                        `Refused: ${r.error}`
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </section>
  );
}
