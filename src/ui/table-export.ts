import { toCsv } from '../import/csv';
import { saveFile } from './save-file';

/** A table as the user downloads it: a header row of column names and the rows' values. */
export interface ExportTable {
  columns: string[];
  rows: (string | number | null)[][];
}

/**
 * Downloads a table as CSV (UTF-8 with a BOM for Excel; formula-like texts neutralised) or as
 * XLSX (ExcelJS, loaded only when asked for; texts are written as texts, never as formulas).
 */
export async function downloadTable(table: ExportTable, baseName: string, format: 'csv' | 'xlsx', sheetName: string): Promise<void> {
  if (format === 'csv') {
    const records = table.rows.map((r) => Object.fromEntries(table.columns.map((c, i) => [c, r[i] ?? ''])));
    saveFile([`\uFEFF${toCsv(records, table.columns)}`], `${baseName}.csv`, 'text/csv;charset=utf-8');
    return;
  }
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  // Sheet names: at most 31 characters, none of []:*?/\
  const sheet = workbook.addWorksheet(sheetName.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31));
  sheet.addRow(table.columns).font = { bold: true };
  for (const row of table.rows) sheet.addRow(row.map((v) => v ?? null));
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  table.columns.forEach((c, i) => {
    sheet.getColumn(i + 1).width = Math.max(8, Math.min(40, c.length * 2 + 2));
  });
  const bytes = await workbook.xlsx.writeBuffer();
  saveFile([bytes as ArrayBuffer], `${baseName}.xlsx`, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
}
