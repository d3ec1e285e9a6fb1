/**
 * Saves data as a file through the browser's download (an object URL on a temporary link).
 * @example saveFile(['\uFEFF', csv], 'rejected.csv', 'text/csv;charset=utf-8')
 */
export function saveFile(parts: BlobPart[], name: string, type: string): void {
  const url = URL.createObjectURL(new Blob(parts, { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
