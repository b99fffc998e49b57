// The <option>s of a select over ids (plans, repositories), each labelled with its id.
export function IdOptions({ ids }: { ids: readonly string[] }) {
  return (
    <>
      {ids.map((id) => (
        <option key={id} value={id}>
          {id}
        </option>
      ))}
    </>
  );
}
