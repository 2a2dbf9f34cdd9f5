// The numbers behind a chart as a visually hidden table, for screen readers.
export function DataTable({ caption, columns, rows }: { caption: string; columns: string[]; rows: { label: string; values: (string | number)[] }[] }) {
  return (
    <table className="pf-v6-screen-reader">
      <caption>{caption}</caption>
      <thead>
        <tr>
          {columns.map((c, i) => (
            <th key={i} scope="col">
              {c}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.label}>
            <th scope="row">{r.label}</th>
            {r.values.map((v, i) => (
              <td key={i}>{v}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
